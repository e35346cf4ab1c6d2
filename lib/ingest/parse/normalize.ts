/** What a format extractor hands back before normalisation. */
export type Extracted = {
  text: string;
  title?: string;
  /** Format-specific advice used when no text comes out (e.g. "the PDF may be scanned images"). */
  emptyHint?: string;
};

/**
 * Plain text ready for chunking: LF line ends, runs of spaces/tabs collapsed to one space, no spaces
 * around line breaks, blank-line runs collapsed to one paragraph break ("\n\n"), control characters
 * dropped, trimmed. Single line breaks are kept: lines matter in lists, code, JSON and CSV output.
 */
export function normalizeText(text: string): string {
  if (text.length <= SLICE_CHARS) return normalizeSlice(text).trim();
  // A large text goes in slices, so each rule's copy is a slice's size, not the whole text's.
  const parts: string[] = [];
  let from = 0;
  while (from < text.length) {
    const to = sliceEnd(text, from + SLICE_CHARS);
    parts.push(normalizeSlice(text.slice(from, to)));
    from = to;
  }
  return parts.join("").trim();
}

const SLICE_CHARS = 1 << 20;
/** A line break followed by a character no rule removes or merges: no rule's match can span it. */
const SAFE_CUT = /\n(?=[^\s\u0000-\u001f\u007f\u200b])/g;

function sliceEnd(text: string, at: number): number {
  if (at >= text.length) return text.length;
  SAFE_CUT.lastIndex = at;
  const cut = SAFE_CUT.exec(text);
  return cut ? cut.index + 1 : text.length;
}

/** The rules on a text as it is, in one pass: normalizeText without the slicing and the trim. */
export function normalizeSlice(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\v]/g, "\n")
    .replace(/\f/g, "\n\n")
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f\ufeff\u200b]/g, "")
    .replace(/[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .replace(/\n{3,}/g, "\n\n");
}

/** A title on one line, or undefined when nothing usable is left. */
export function cleanTitle(title: string | undefined): string | undefined {
  const clean = title ? normalizeText(title).replace(/\s+/g, " ").slice(0, 300).trim() : "";
  return clean || undefined;
}

/** `reports/Q3 Summary.final.pdf` → `Q3 Summary.final` (browser uploads may carry Windows separators). */
export function fileStem(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Lower-case extension with its dot (`.pdf`), or "" when the name has none. */
export function fileExtension(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}


/** First line of a library's error message, bounded, so no stack or dump reaches an operator. */
export function briefCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = message.split("\n")[0]?.trim() ?? "";
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

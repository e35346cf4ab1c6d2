import { ParseError, type ParsedDocument } from "../types";
import { extractCsv } from "./csv";
import { extractDocx } from "./docx";
import { extractHtml } from "./html";
import { extractJson } from "./json";
import { extractMarkdown } from "./markdown";
import { formatBytes } from "@/lib/format";
import { briefCause, cleanTitle, fileExtension, fileStem, normalizeText, type Extracted } from "./normalize";
import { extractPdf } from "./pdf";
import { decodeText } from "./text-decode";
import { extractPlainText } from "./txt";

type Format =
  | { kind: "text"; mimeType: string; extract: (text: string) => Extracted }
  | { kind: "binary"; mimeType: string; extract: (bytes: Uint8Array) => Promise<Extracted> };

const TEXT_FORMAT = (mimeType: string, extract: (text: string) => Extracted): Format => ({ kind: "text", mimeType, extract });

const FORMATS: Record<string, Format> = {
  ".txt": TEXT_FORMAT("text/plain", extractPlainText),
  ".md": TEXT_FORMAT("text/markdown", extractMarkdown),
  ".markdown": TEXT_FORMAT("text/markdown", extractMarkdown),
  ".html": TEXT_FORMAT("text/html", extractHtml),
  ".htm": TEXT_FORMAT("text/html", extractHtml),
  ".json": TEXT_FORMAT("application/json", extractJson),
  ".csv": TEXT_FORMAT("text/csv", extractCsv),
  ".pdf": { kind: "binary", mimeType: "application/pdf", extract: extractPdf },
  ".docx": { kind: "binary", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extract: extractDocx },
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(FORMATS);

/** The default per-document limit when the caller has none of its own. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

export type ParseInput = { path: string; bytes: Uint8Array; maxBytes?: number };

/**
 * One file to plain text, dispatched on its extension (case-insensitive). Checks run in order:
 * supported extension, size limit, zero bytes, then for text formats binary content and encoding
 * (see text-decode.ts), then extraction and whitespace normalisation; no text left is `empty`.
 * Bad input only ever rejects with a ParseError whose message tells an operator what to do.
 */
export async function parseDocument({ path, bytes, maxBytes = DEFAULT_MAX_BYTES }: ParseInput): Promise<ParsedDocument> {
  const extension = fileExtension(path);
  const format = FORMATS[extension];
  if (!format) {
    const what = extension ? `${extension} files are` : "Files without an extension are";
    throw new ParseError("unsupported", `${what} not supported; supported: ${SUPPORTED_EXTENSIONS.join(", ")}. Convert the file to one of these formats.`);
  }
  if (bytes.byteLength > maxBytes) {
    throw new ParseError(
      "too_large",
      `The file is ${formatBytes(bytes.byteLength)}, over the ${formatBytes(maxBytes)} limit for one document. Split it into smaller files or ask an admin to raise the limit.`,
    );
  }
  if (bytes.byteLength === 0) {
    throw new ParseError("empty", "The file is empty (0 bytes). Check that it was saved or exported completely, then upload it again.");
  }

  let extracted: Extracted;
  let encoding: string | undefined;
  try {
    if (format.kind === "text") {
      const decoded = decodeText(bytes);
      encoding = decoded.encoding;
      if (!decoded.text.trim()) throw new ParseError("empty", "The file contains only whitespace, so no text could be extracted.");
      extracted = format.extract(decoded.text);
    } else {
      extracted = await format.extract(bytes);
    }
  } catch (err) {
    if (err instanceof ParseError) throw err;
    // A library failing in a way we did not foresee is still a problem with this file, not a crash.
    throw new ParseError("corrupt", `The file could not be read as ${extension} (${briefCause(err)}). Check that it opens in its usual application, then upload it again.`);
  }

  const text = normalizeText(extracted.text);
  if (!text) {
    throw new ParseError("empty", `No text could be extracted. ${extracted.emptyHint ?? "The file holds no readable text."}`);
  }
  return {
    text,
    mimeType: format.mimeType,
    ...(encoding ? { encoding } : {}),
    title: cleanTitle(extracted.title) ?? fileStem(path),
  };
}

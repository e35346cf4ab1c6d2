import type { Extracted } from "./normalize";

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)\s*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*\S+/;
const TABLE_DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$/;
const FRONT_MATTER_TITLE = /^title:\s*["']?(.*?)["']?\s*$/;

/**
 * Markdown stripped lightly to the words a reader sees: heading markers, emphasis, bullets, quote
 * markers and link targets go; code blocks stay as text (their fence lines go). Headings become
 * paragraphs of their own so the chunker can break there. Title: front matter, else first heading.
 */
export function extractMarkdown(source: string): Extracted {
  const lines = source.split(/\r\n?|\n/);
  const out: string[] = [];
  let title: string | undefined;
  let fence: string | undefined;
  let inComment = false;
  let bodyStart = 0;

  if (lines[0]?.trim() === "---") {
    const close = lines.findIndex((line, n) => n > 0 && (line.trim() === "---" || line.trim() === "..."));
    // Only YAML-looking front matter: a document may also open with a "---" thematic break.
    if (close > 0 && /^[\w-]+\s*:/.test(lines[1] ?? "")) {
      for (const line of lines.slice(1, close)) title ??= FRONT_MATTER_TITLE.exec(line)?.[1] || undefined;
      bodyStart = close + 1;
    }
  }

  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence !== undefined) {
      if (!line.trim().startsWith(fence) || line.trim().replace(/[`~]/g, "") !== "") out.push(line);
      else {
        fence = undefined;
        out.push("");
      }
      continue;
    }
    if (inComment) {
      if (line.includes("-->")) inComment = false;
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      fence = opening[1]!;
      out.push("");
      continue;
    }
    let text = line.replace(/<!--.*?-->/g, "");
    if (text.includes("<!--")) {
      inComment = true;
      text = text.slice(0, text.indexOf("<!--"));
    }
    const heading = ATX_HEADING.exec(text);
    if (heading) {
      const words = stripInline(heading[1] ?? "");
      title ??= words || undefined;
      out.push("", words, "");
      continue;
    }
    if (SETEXT_UNDERLINE.test(text) && out[out.length - 1]?.trim()) {
      title ??= out[out.length - 1]!.trim();
      out.push("");
      continue;
    }
    if (TABLE_DELIMITER_ROW.test(text)) continue;
    if (THEMATIC_BREAK.test(text) || REFERENCE_DEFINITION.test(text)) {
      out.push("");
      continue;
    }
    out.push(stripInline(stripBlockMarkers(text)));
  }
  const emptyHint = bodyStart > 0 ? "The Markdown has front matter (metadata) but no body text." : "The Markdown has no text outside its markup.";
  return { text: out.join("\n"), title, emptyHint };
}

/** Quote markers, bullets, task boxes and table pipes at the start of a line. */
function stripBlockMarkers(line: string): string {
  let text = line.replace(/^ {0,3}(?:>\s?)+/, "").replace(/^\s*[-*+]\s+(?:\[[ xX]\]\s+)?/, "");
  if (/^\s*\|/.test(text)) text = text.replace(/^\s*\||\|\s*$/g, "").replace(/\s*\|\s*/g, " | ");
  return text;
}

/** Inline markup: images and links keep their text, emphasis and code lose their markers. */
export function stripInline(line: string): string {
  let text = line;
  // Each family runs only when its marker is present: most lines have none, and this is the hot loop.
  if (text.includes("[")) {
    text = text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1");
  }
  if (text.includes("<")) text = text.replace(/<((?:https?|mailto):[^>\s]+)>/g, "$1").replace(/<\/?[A-Za-z][^>]*>/g, "");
  if (text.includes("`")) text = text.replace(/`+([^`]+?)`+/g, "$1");
  if (text.includes("*") || text.includes("_")) {
    text = text
      .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
      .replace(/(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])/g, "$1")
      .replace(/(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)/g, "$1");
  }
  if (text.includes("~~")) text = text.replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "$1");
  if (text.includes("\\")) text = text.replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, "$1");
  return text.trim();
}

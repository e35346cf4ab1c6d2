import { gunzipSync } from "node:zlib";
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
  | { kind: "text"; mimeType: string; extract: (text: string) => Extracted; sniffed?: boolean }
  | { kind: "binary"; mimeType: string; extract: (bytes: Uint8Array) => Promise<Extracted> }
  | { kind: "gzip"; mimeType: string; innerPath: string };

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

/**
 * Extensions of formats that are never plain text (archives, images, media, office, binaries): refused
 * by name, unread. Names that only usually mean binary (`.bin`, `.db`) are judged by their content:
 * Debian ships text as `xtrans.html.db` and `deskey.bin`.
 */
const BINARY_EXTENSIONS = new Set(
  (
    ".zip .tar .tgz .bz2 .xz .zst .7z .rar .jar .war .apk .png .jpg .jpeg .gif .bmp .ico .webp .tif .tiff .heic .psd " +
    ".mp3 .mp4 .m4a .wav .ogg .flac .avi .mov .mkv .webm .woff .woff2 .ttf .otf .eot .exe .dll .so .dylib .o .a .lib " +
    ".class .pyc .wasm .iso .img .dmg .deb .rpm .sqlite .doc .xls .xlsx .ppt .pptx .odt .ods .odp .epub"
  ).split(" "),
);

/** Plain text recognised by its content rather than its extension: one that is not text is refused as unsupported. */
const SNIFFED_TEXT: Format = { kind: "text", mimeType: "text/plain", extract: extractPlainText, sniffed: true };

/**
 * A file's format: by extension, the format inside a `.gz`, or, for any other name (source code,
 * config, `copyright`, `changelog.Debian`), plain text if its content is text.
 */
function formatOf(path: string): Format | null {
  const extension = fileExtension(path);
  if (FORMATS[extension]) return FORMATS[extension];
  if (extension === ".gz") {
    const innerPath = path.slice(0, -3);
    const inner = formatOf(innerPath);
    return inner ? { kind: "gzip", mimeType: inner.mimeType, innerPath } : null;
  }
  return BINARY_EXTENSIONS.has(extension) ? null : SNIFFED_TEXT;
}

const SUPPORTED = `supported: ${SUPPORTED_EXTENSIONS.join(", ")}, any of these compressed as .gz, and any other file whose content is plain text. Convert the file to one of these formats.`;

/** `notText`: a file only its content could have made text, and the content is not text. */
function unsupported(path: string, notText = false): ParseError {
  if (notText) return new ParseError("unsupported", `The file is not text, and its name gives no supported format; ${SUPPORTED}`);
  const outer = fileExtension(path);
  const extension = outer === ".gz" && fileExtension(path.slice(0, -3)) ? fileExtension(path.slice(0, -3)) + outer : outer;
  return new ParseError("unsupported", `${extension} files are not supported; ${SUPPORTED}`);
}

/** A gzip file's content, at most `maxBytes` of it: a file that inflates past the limit is refused, never held whole. */
function gunzipWithinLimit(bytes: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) {
      throw new ParseError("too_large", `The file decompresses to more than the ${formatBytes(maxBytes)} limit for one document. Split it into smaller files or ask an admin to raise the limit.`);
    }
    throw new ParseError("corrupt", `The file is not a valid gzip file (${briefCause(err)}). Check that it decompresses with gunzip, then upload it again.`);
  }
}

/** The default per-document limit when the caller has none of its own. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

export type ParseInput = { path: string; bytes: Uint8Array; maxBytes?: number };

/** decodeText, except that content which is not text, in a file only content could call text, is unsupported. */
function decodeSniffed(bytes: Uint8Array, sniffed: boolean) {
  try {
    return decodeText(bytes);
  } catch (err) {
    if (sniffed && err instanceof ParseError && err.reason === "binary") throw unsupported("", true);
    throw err;
  }
}

/**
 * The checks that need only a file's name and size, in parseDocument's order: supported
 * extension, size limit, zero bytes. Run on a stat before reading, a file is refused by size
 * without being loaded. Throws the ParseError; returns the format otherwise.
 */
export function refuseBeforeReading(path: string, size: number, maxBytes = DEFAULT_MAX_BYTES): Format {
  const format = formatOf(path);
  if (!format) throw unsupported(path);
  if (size > maxBytes) {
    throw new ParseError("too_large", `The file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for one document. Split it into smaller files or ask an admin to raise the limit.`);
  }
  if (size === 0) {
    throw new ParseError("empty", "The file is empty (0 bytes). Check that it was saved or exported completely, then upload it again.");
  }
  return format;
}

/**
 * One file to plain text, dispatched on its extension (case-insensitive; a `.gz` is inflated, within
 * the size limit, and parsed as the file it holds; a file of any other name that is not a known
 * binary format is plain text if its content is). Checks run in order:
 * those of refuseBeforeReading, then for text formats binary content and encoding (see
 * text-decode.ts), then extraction and whitespace normalisation; no text left is `empty`.
 * Bad input only ever rejects with a ParseError whose message tells an operator what to do.
 */
export async function parseDocument({ path, bytes, maxBytes = DEFAULT_MAX_BYTES }: ParseInput): Promise<ParsedDocument> {
  const extension = fileExtension(path);
  const format = refuseBeforeReading(path, bytes.byteLength, maxBytes);

  if (format.kind === "gzip") {
    return parseDocument({ path: format.innerPath, bytes: gunzipWithinLimit(bytes, maxBytes), maxBytes });
  }

  let extracted: Extracted;
  let encoding: string | undefined;
  try {
    if (format.kind === "text") {
      const decoded = decodeSniffed(bytes, !!format.sniffed);
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

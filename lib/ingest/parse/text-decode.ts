import chardet from "chardet";
import iconv from "iconv-lite";
import { ParseError } from "../types";

/**
 * Encoding policy, in order:
 * 1. A byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); UTF-16 without a BOM is
 *    recognised by its NUL byte pattern. Otherwise NUL bytes or many control bytes mean `binary`.
 * 2. Bytes that are valid UTF-8 are UTF-8 (plain ASCII included).
 * 3. Bytes that are mostly UTF-8 (more valid multi-byte sequences than invalid ones) are a damaged
 *    UTF-8 file: up to 1% invalid sequences become U+FFFD and the file is accepted as utf-8; more
 *    is an `encoding` error rather than a guess that would garble every accented letter.
 * 4. Otherwise chardet's guesses (confidence >= 15) are decoded with iconv-lite in order; a guess is
 *    accepted only if the result looks like text (<= 1% replacement or control characters). A
 *    single-byte decode (latin1, windows-125x) always "succeeds", so that check is what rejects it.
 * 5. Mostly-ASCII text (>= 90%) that chardet cannot place is read as windows-1252: stray high bytes
 *    in such files are nearly always Western legacy text, and they are indistinguishable from junk.
 * 6. Anything else is an `encoding` error: a one-line file in a non-Latin legacy encoding may be
 *    rejected this way, which beats indexing it as mojibake; the operator re-saves it as UTF-8.
 */
export type DecodedText = { text: string; encoding: string };

const SAMPLE_BYTES = 8 * 1024;
const CHARDET_SAMPLE_BYTES = 64 * 1024;
const MAX_CONTROL_RATIO = 0.02;
const MAX_SUSPICIOUS_RATIO = 0.01;
/** chardet scores a clean Cyrillic or Polish paragraph 15-19, its wrong guesses for a one-liner 10-11. */
const MIN_CHARDET_CONFIDENCE = 15;
const FALLBACK_ASCII_RATIO = 0.9;
const RESAVE = "Re-save the file as UTF-8 and upload it again.";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");

export function decodeText(bytes: Uint8Array): DecodedText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = detectBom(buffer);
  if (bom) {
    const text = iconv.decode(buffer, bom);
    if (looksLikeText(text)) return { text, encoding: bom };
    throw new ParseError("encoding", `The file starts with a ${bom.toUpperCase()} byte-order mark but does not decode as ${bom.toUpperCase()} text. ${RESAVE}`);
  }
  const utf16 = sniffUtf16(buffer);
  if (utf16) {
    const text = iconv.decode(buffer, utf16);
    if (looksLikeText(text)) return { text, encoding: utf16 };
  }
  if (looksBinary(buffer)) {
    throw new ParseError("binary", "The file looks like a binary file, not text (it contains NUL or control bytes). Check that the right file was uploaded and that its extension matches its content.");
  }
  try {
    return { text: strictUtf8.decode(buffer), encoding: "utf-8" };
  } catch {
    // Not valid UTF-8: fall through to the damaged-UTF-8 and legacy-encoding checks.
  }
  const scan = scanUtf8(buffer);
  if (scan.validMultiByte > scan.invalid) {
    if (scan.invalid <= buffer.length * MAX_SUSPICIOUS_RATIO) return { text: lenientUtf8.decode(buffer), encoding: "utf-8" };
    throw new ParseError(
      "encoding",
      `The file is mostly UTF-8 but has ${scan.invalid} invalid byte sequences (the first at byte ${scan.firstInvalid}), so it is damaged or mixes encodings. ${RESAVE}`,
    );
  }
  const legacy = decodeLegacy(buffer);
  if (legacy) return legacy;
  throw new ParseError(
    "encoding",
    `The file is not valid UTF-8 (the first invalid byte is at offset ${scan.firstInvalid}) and does not read as text in any legacy encoding either. ${RESAVE}`,
  );
}

function decodeLegacy(buffer: Buffer): DecodedText | undefined {
  const guesses = chardet
    .analyse(buffer.subarray(0, CHARDET_SAMPLE_BYTES))
    .filter((m) => m.confidence >= MIN_CHARDET_CONFIDENCE && !m.name.startsWith("UTF") && iconv.encodingExists(m.name))
    .map((m) => m.name.toLowerCase());
  if (asciiRatio(buffer) >= FALLBACK_ASCII_RATIO) guesses.push("windows-1252");
  for (const encoding of new Set(guesses)) {
    const text = iconv.decode(buffer, encoding);
    if (looksLikeText(text)) return { text, encoding };
  }
  return undefined;
}

function detectBom(b: Buffer): string | undefined {
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return "utf-32le";
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return "utf-32be";
  if (b[0] === 0xff && b[1] === 0xfe) return "utf-16le";
  if (b[0] === 0xfe && b[1] === 0xff) return "utf-16be";
  return undefined; // a UTF-8 BOM needs no special case: the UTF-8 decoders drop it
}

/** Mostly-Latin UTF-16 without a BOM has a NUL in every other byte and nowhere else. */
function sniffUtf16(b: Buffer): string | undefined {
  const n = Math.min(b.length, SAMPLE_BYTES) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (evenNul === 0 && oddNul >= pairs * 0.5) return "utf-16le";
  if (oddNul === 0 && evenNul >= pairs * 0.5) return "utf-16be";
  return undefined;
}

/** NUL bytes, or more than 2% control bytes other than whitespace and ESC, in the first 8 KiB. */
export function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, SAMPLE_BYTES);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return true;
    if ((c < 0x20 && !(c >= 0x09 && c <= 0x0d) && c !== 0x1b) || c === 0x7f) controls++;
  }
  return controls > n * MAX_CONTROL_RATIO;
}

/** Decoded text is believable when replacement and control characters are rare. */
export function looksLikeText(text: string): boolean {
  const n = Math.min(text.length, CHARDET_SAMPLE_BYTES);
  let suspicious = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && !(c >= 0x09 && c <= 0x0d) && c !== 0x1b) || (c >= 0x7f && c <= 0x9f)) suspicious++;
  }
  return suspicious <= n * MAX_SUSPICIOUS_RATIO;
}

function asciiRatio(b: Buffer): number {
  const n = Math.min(b.length, CHARDET_SAMPLE_BYTES);
  let ascii = 0;
  for (let i = 0; i < n; i++) if (b[i]! < 0x80) ascii++;
  return n === 0 ? 1 : ascii / n;
}

type Utf8Scan = { validMultiByte: number; invalid: number; firstInvalid: number };

/** Counts well-formed multi-byte UTF-8 sequences and invalid ones (ranges per RFC 3629). */
export function scanUtf8(b: Uint8Array): Utf8Scan {
  let validMultiByte = 0;
  let invalid = 0;
  let firstInvalid = -1;
  let i = 0;
  while (i < b.length) {
    const lead = b[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(b, i);
    if (length > 0) {
      validMultiByte++;
      i += length;
    } else {
      if (firstInvalid < 0) firstInvalid = i;
      invalid++;
      i++;
    }
  }
  return { validMultiByte, invalid, firstInvalid };
}

/** Length of the well-formed sequence starting at `i`, or 0. */
function sequenceLength(b: Uint8Array, i: number): number {
  const lead = b[i]!;
  let need: number;
  let min = 0x80;
  let max = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) need = 1;
  else if (lead >= 0xe0 && lead <= 0xef) {
    need = 2;
    if (lead === 0xe0) min = 0xa0;
    if (lead === 0xed) max = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    need = 3;
    if (lead === 0xf0) min = 0x90;
    if (lead === 0xf4) max = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const c = b[i + k];
    if (c === undefined || c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return 0;
  }
  return need + 1;
}

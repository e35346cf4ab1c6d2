import { createHash } from "node:crypto";
import type { TextChunk } from "./types";

export type ChunkOptions = { size: number; overlap: number };

type Range = { start: number; end: number };

const MIN_CHUNK_SIZE = 50;
/** Coarse to fine: a piece too long for one chunk is split at the next level down. */
const LEVELS = ["paragraph", "line", "sentence", "word"] as const;
type Level = (typeof LEVELS)[number];
const SEPARATORS: Record<Exclude<Level, "sentence">, RegExp> = { paragraph: /\n\s*\n/g, line: /\n/g, word: /\s+/g };
/** A sentence ends at . ! ? or … plus any closing quotes/brackets, before whitespace; CJK stops need none. */
const SENTENCE_END = /[.!?\u2026]+["'\u2019\u201d)\]]*(?=\s)|[\u3002\uff01\uff1f]+/g;

/**
 * Splits text into chunks of at most `size` characters (UTF-16 code units), so that for every chunk
 * `chunk.text === text.slice(chunk.start, chunk.end)`; chunks never start or end with whitespace.
 *
 * Whole paragraphs are packed together; a paragraph longer than `size` is split at line breaks, then
 * sentence ends, then spaces, and its pieces are packed among themselves (never with a neighbouring
 * paragraph). A word is cut only when it alone is longer than `size`. Packing leaves room for the
 * overlap (`size - overlap` new characters per chunk, a single piece may use all of `size`); each
 * chunk after the first then starts up to `overlap` characters earlier, at a word start inside the
 * previous chunk, so neighbours share about `overlap` characters.
 */
export function chunkText(text: string, { size, overlap }: ChunkOptions): TextChunk[] {
  if (!Number.isInteger(size) || size < MIN_CHUNK_SIZE) throw new RangeError(`chunk size must be an integer of at least ${MIN_CHUNK_SIZE} characters; got ${size}`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) throw new RangeError(`chunk overlap must be an integer from 0 to size - 1 (${size - 1}); got ${overlap}`);

  const packed: Range[] = [];
  pack(text, { start: 0, end: text.length }, 0, size, size - overlap, packed);
  return packed.map((range, ordinal) => {
    const start = ordinal === 0 ? range.start : overlapStart(text, packed[ordinal - 1]!, range, overlap, size);
    return { ordinal, text: text.slice(start, range.end), start, end: range.end };
  });
}

function pack(text: string, range: Range, level: number, size: number, budget: number, out: Range[]): void {
  let current: Range | undefined;
  for (const piece of splitPieces(text, range, LEVELS[level]!)) {
    if (piece.end - piece.start > size) {
      if (current) out.push(current);
      current = undefined;
      if (level + 1 < LEVELS.length) pack(text, piece, level + 1, size, budget, out);
      else cutWord(text, piece, size, out);
    } else if (current && piece.end - current.start <= budget) {
      current.end = piece.end;
    } else {
      if (current) out.push(current);
      current = { ...piece };
    }
  }
  if (current) out.push(current);
}

/** The non-blank pieces of `range` at one level, each trimmed of surrounding whitespace. */
function splitPieces(text: string, range: Range, level: Level): Range[] {
  const slice = text.slice(range.start, range.end);
  const pattern = level === "sentence" ? SENTENCE_END : SEPARATORS[level];
  const keepMatch = level === "sentence"; // a sentence keeps its full stop; other separators go
  const pieces: Range[] = [];
  let from = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(slice); m; m = pattern.exec(slice)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    const to = keepMatch ? m.index + m[0].length : m.index;
    pushTrimmed(text, range.start + from, range.start + to, pieces);
    from = m.index + m[0].length;
  }
  pushTrimmed(text, range.start + from, range.end, pieces);
  return pieces;
}

function pushTrimmed(text: string, start: number, end: number, out: Range[]): void {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end > start) out.push({ start, end });
}

/** A word longer than a chunk is cut every `size` characters, never inside a surrogate pair. */
function cutWord(text: string, word: Range, size: number, out: Range[]): void {
  for (let start = word.start; start < word.end; ) {
    let end = Math.min(start + size, word.end);
    if (end < word.end && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    out.push({ start, end });
    start = end;
  }
}

/**
 * The earliest word start within `overlap` characters before `range`, after the previous chunk's
 * first character (a chunk never swallows its predecessor whole) and keeping the chunk within `size`.
 */
function overlapStart(text: string, previous: Range, range: Range, overlap: number, size: number): number {
  const floor = Math.max(previous.start + 1, range.start - overlap, range.end - size);
  for (let p = floor; p < range.start; p++) {
    if (!isSpace(text.charCodeAt(p)) && (p === 0 || isSpace(text.charCodeAt(p - 1)))) return p;
  }
  return range.start;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || code === 0x2028 || code === 0x2029 || code === 0xfeff || (code >= 0x2000 && code <= 0x200a) || code === 0x1680 || code === 0x202f || code === 0x205f;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Fixed namespace for chunk ids: uuid5(NAMESPACE_URL, "https://stevedore.dev/ns/chunk"). Never change it: ids would change. */
export const CHUNK_ID_NAMESPACE = "b040763a-b4f2-5a8d-9973-4894776f1f2c";

/** Deterministic chunk id, so a retried write upserts the same point instead of adding another. */
export function chunkId(documentId: string, ordinal: number, contentHash: string): string {
  return uuidV5(`${documentId}:${ordinal}:${contentHash}`, CHUNK_ID_NAMESPACE);
}

/** RFC 4122 version 5: SHA-1 of namespace bytes + UTF-8 name, with version and variant bits set. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  if (ns.length !== 16) throw new RangeError(`namespace must be a UUID; got ${namespace}`);
  const bytes = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** SHA-256 as lower-case hex; strings are hashed as UTF-8. */
export function sha256Hex(input: string | Uint8Array): string {
  return createHash("sha256").update(input).digest("hex");
}

/** Rough token count for budgeting (about four characters per token for English text). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

import { abortedError } from "./rate-limit";
import { emptyStats, type EmbedderStats } from "./stats";
import { EmbedderError, type Embedder, type EmbedderState } from "./types";

export const BUILTIN_MODEL = "builtin-hash";
export const BUILTIN_DEFAULT_DIMENSION = 384;
/** Inputs up to this many characters in all are embedded on the calling thread, even with a worker pool. */
const INLINE_CHARS = 4096;

export type BuiltinEmbedder = Embedder & { stats(): EmbedderStats };

/** Computes the vectors elsewhere (a worker thread): `dimension` floats per text, packed in one array, and the tokens the texts were cut into. */
export type Offload = (texts: string[], dimension: number) => Promise<PackedEmbeddings>;
export type PackedEmbeddings = { vectors: Float32Array; tokens: number };

/**
 * The zero-setup embedder: signed feature hashing of unigrams and word bigrams, tf damped to
 * 1 + ln tf, L2-normalised. Blank text is a non-retryable EmbedderError (as in the OpenAI API),
 * since a zero vector would poison cosine similarity. Its tokens are its own: the words (and
 * ideographs) it hashed, bigrams aside, not an estimate.
 */
export function createBuiltinEmbedder(opts: { dimension?: number; model?: string; offload?: Offload } = {}): BuiltinEmbedder {
  const dimension = opts.dimension ?? BUILTIN_DEFAULT_DIMENSION;
  if (!Number.isInteger(dimension) || dimension < 2 || dimension > 65_536) {
    throw new EmbedderError(`builtin-hash dimension must be an integer from 2 to 65536, got ${dimension}`, false);
  }
  const model = opts.model ?? (dimension === BUILTIN_DEFAULT_DIMENSION ? BUILTIN_MODEL : `${BUILTIN_MODEL}-${dimension}`);
  const stats = emptyStats();
  const state: EmbedderState = { model, breaker: "closed", consecutiveFailures: 0, openedAt: null, retryAt: null, lastError: null };
  return {
    model,
    dimension,
    async embed(texts, embedOpts) {
      const signal = embedOpts?.signal;
      if (signal?.aborted) throw abortedError();
      const blank = texts.findIndex((t) => t.trim() === "");
      if (blank >= 0) throw new EmbedderError(`empty text at index ${blank}`, false);
      stats.calls++;
      stats.inputs += texts.length;
      const counted = (tokens: number) => {
        stats.tokens += tokens;
        if (embedOpts?.usage) embedOpts.usage.tokens += tokens;
      };
      // A query (a few hundred characters) costs microseconds here, less than the trip to a worker,
      // and must not queue behind a reindex's batches there.
      if (opts.offload && texts.reduce((n, t) => n + t.length, 0) > INLINE_CHARS) {
        const packed = await opts.offload(texts, dimension);
        counted(packed.tokens);
        return texts.map((_, i) => packed.vectors.subarray(i * dimension, (i + 1) * dimension));
      }
      const out: Float32Array[] = [];
      let tokens = 0;
      let sinceYield = 0;
      for (const text of texts) {
        const embedded = embedText(text, dimension)!;
        out.push(embedded.vector);
        tokens += embedded.tokens;
        sinceYield += text.length;
        // On the server's own thread: yield every ~1 MB (~25 ms) so requests keep flowing.
        if (sinceYield > YIELD_EVERY_CHARS) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
          if (signal?.aborted) throw abortedError();
        }
      }
      counted(tokens);
      return out;
    },
    state: () => ({ ...state }),
    stats: () => ({ ...stats }),
  };
}

const YIELD_EVERY_CHARS = 1_000_000;
const NON_ASCII = /[^\x00-\x7f]/;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const BIGRAM_SEED = 0x9e3779b1;
const SIGN_SEED = 0x27d4eb2f;

/** Returns the unit vector for `text`, or null when it has no characters but whitespace. */
export function hashText(text: string, dimension: number): Float32Array | null {
  return embedText(text, dimension)?.vector ?? null;
}

/** The unit vector for `text` and the tokens it was cut into, or null when it has no characters but whitespace. */
export function embedText(text: string, dimension: number): { vector: Float32Array; tokens: number } | null {
  // NFKC folds full-width forms, ligatures and decomposed accents so equal-looking words hash alike.
  const normal = (NON_ASCII.test(text) ? text.normalize("NFKC") : text).toLowerCase();
  const counts = featureCounts;
  counts.clear();
  let tokens = scanTokens(normal, counts, false);
  // Text without letters or digits ("---", emoji) still gets a vector, from its symbols.
  if (counts.size === 0) tokens = scanTokens(normal, counts, true);
  if (counts.size === 0) return null;

  const acc = new Float64Array(dimension);
  for (let k = 0; k < counts.size; k++) {
    const slot = counts.used[k]!;
    const feature = counts.keys[slot]!;
    const weight = 1 + Math.log(counts.counts[slot]!);
    acc[(feature >>> 0) % dimension]! += fmix32(feature ^ SIGN_SEED) < 0 ? -weight : weight;
  }
  let sum = 0;
  for (let i = 0; i < dimension; i++) sum += acc[i]! * acc[i]!;
  const out = new Float32Array(dimension);
  // All features cancelling out is possible in theory; a fixed axis beats a zero vector.
  if (sum === 0) {
    out[0] = 1;
    return { vector: out, tokens };
  }
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < dimension; i++) out[i] = acc[i]! * inv;
  return { vector: out, tokens };
}

/**
 * One pass over UTF-16 units: FNV-1a of each token, counted as a unigram and, with the previous
 * token, a bigram. Han and kana characters are one token each (those scripts have no spaces), so
 * their bigrams are character bigrams. `symbols`: tokens are runs of non-space characters instead.
 * Returns how many tokens it emitted.
 */
function scanTokens(s: string, counts: FeatureCounts, symbols: boolean): number {
  const table = symbols ? null : charClasses();
  let h = FNV_OFFSET;
  let inToken = false;
  let prev = 0;
  let hasPrev = false;
  let tokens = 0;
  const emit = (token: number) => {
    tokens++;
    counts.add(fmix32(token));
    if (hasPrev) counts.add(fmix32((Math.imul(prev, BIGRAM_SEED) + token) | 0));
    prev = token;
    hasPrev = true;
  };
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    let units = 1;
    let cls: number;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const cp = s.codePointAt(i)!;
      units = cp > 0xffff ? 2 : 1;
      cls = symbols ? 1 : astralClass(cp);
      c = cp;
    } else if (symbols) {
      cls = c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 ? 0 : 1;
    } else {
      cls = table![c]!;
    }
    if (cls === 1) {
      h = Math.imul(h ^ c, FNV_PRIME);
      inToken = true;
    } else {
      if (inToken) emit(h);
      inToken = false;
      h = FNV_OFFSET;
      if (cls === 2) emit(Math.imul(FNV_OFFSET ^ c, FNV_PRIME));
    }
    i += units - 1;
  }
  if (inToken) emit(h);
  return tokens;
}

/** Per BMP code unit: 0 separator, 1 word character (letter, digit, combining mark), 2 ideograph. */
let classes: Uint8Array | undefined;
function charClasses(): Uint8Array {
  if (classes) return classes;
  classes = new Uint8Array(0x10000);
  const word = /[\p{L}\p{N}\p{M}]/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (isIdeographic(c)) classes[c] = 2;
    else if (c < 0x80) classes[c] = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) ? 1 : 0;
    else if (word.test(String.fromCharCode(c))) classes[c] = 1;
  }
  return classes;
}

const ASTRAL_WORD = /^[\p{L}\p{N}\p{M}]$/u;
function astralClass(cp: number): number {
  if (cp >= 0x20000 && cp <= 0x3ffff) return 2; // CJK extension planes
  return ASTRAL_WORD.test(String.fromCodePoint(cp)) ? 1 : 0;
}

function isIdeographic(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
}

/** Open-addressing feature → count table, reused across texts (embedding is synchronous). */
class FeatureCounts {
  keys = new Int32Array(1024);
  counts = new Int32Array(1024);
  used = new Int32Array(512);
  size = 0;

  clear(): void {
    for (let k = 0; k < this.size; k++) this.counts[this.used[k]!] = 0;
    this.size = 0;
  }

  add(key: number): void {
    const mask = this.keys.length - 1;
    let slot = key & mask;
    while (this.counts[slot] !== 0) {
      if (this.keys[slot] === key) {
        this.counts[slot]!++;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.keys[slot] = key;
    this.counts[slot] = 1;
    this.used[this.size++] = slot;
    if (this.size * 2 >= this.keys.length) this.grow();
  }

  private grow(): void {
    const { keys, counts, used, size } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.counts = new Int32Array(keys.length * 2);
    this.used = new Int32Array(keys.length);
    this.size = 0;
    for (let k = 0; k < size; k++) {
      const slot = used[k]!;
      const n = counts[slot]!;
      this.add(keys[slot]!);
      this.counts[this.used[this.size - 1]!] = n;
    }
  }
}
const featureCounts = new FeatureCounts();

/** murmur3's finaliser: spreads FNV's weak low bits before the modulo and the sign bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

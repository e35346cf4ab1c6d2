import { createHash } from "node:crypto";
import os from "node:os";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { BackupFormatError } from "./errors";
import { DEFAULT_READ_LIMITS } from "./read";
import { BACKUP_FORMAT, BACKUP_VERSION, BackupManifestInput, type BackupPayload } from "./schema";
import { encodeVector } from "./vector-codec";

export type BackupPointInput = { id: string; vector: Float32Array | number[] | null; payload: BackupPayload };

export type WriteBackupOptions = {
  /** Compressed megabytes (10^6 bytes) per second written to the destination; unset: no limit. */
  rateLimitMBps?: number;
  /** zlib level 1–9; vectors are near-random bytes, so a high level costs time and saves little. */
  gzipLevel?: number;
  signal?: AbortSignal;
  /** The largest manifest line to write (default: the most the reader accepts, so no file is written that no restore can read). */
  maxManifestBytes?: number;
};

export type WriteBackupResult = { count: number; sha256: string; bytes: number; inflatedBytes: number };

/**
 * Point lines are compressed in blocks of about this size, each an independent gzip member (RFC 1952
 * lets members follow each other; any gunzip, ours included, reads the concatenation as one stream).
 * One zlib call per line would dominate; much larger blocks only hold more memory.
 */
const CHUNK_BYTES = 512 * 1024;
/** Blocks compressed at once, on libuv's thread pool (off the main thread, which scrolls and encodes meanwhile). */
const GZIP_CONCURRENCY = Math.min(4, Math.max(2, os.availableParallelism()));
/** The default zlib level of backups (and of the bench's raw baseline, so the two compare like with like). */
export const BACKUP_GZIP_LEVEL = 6;
const gzipAsync = promisify(gzip);

/**
 * Writes a backup (manifest line, point lines, trailer) as gzip to `destination`, which it ends.
 * Points are pulled only as fast as the destination takes bytes, so memory stays at a few chunks.
 */
export async function writeBackup(
  manifestInput: BackupManifestInput,
  points: AsyncIterable<BackupPointInput> | Iterable<BackupPointInput>,
  destination: Writable,
  options: WriteBackupOptions = {},
): Promise<WriteBackupResult> {
  const manifest = BackupManifestInput.parse(manifestInput);
  const result: WriteBackupResult = { count: 0, sha256: "", bytes: 0, inflatedBytes: 0 };
  const lines = encodeLines(manifest, points, result, options.maxManifestBytes ?? DEFAULT_READ_LIMITS.maxManifestBytes);
  const meter = meterBytes(result, options.rateLimitMBps);
  // highWaterMark 1: the members wait for the destination, and the blocks for the members, so memory stays at a few blocks.
  const members = Readable.from(gzipMembers(lines, options.gzipLevel ?? BACKUP_GZIP_LEVEL, GZIP_CONCURRENCY), { highWaterMark: 1 });
  await pipeline(members, meter, destination, { signal: options.signal });
  return result;
}

/**
 * Each block as its own gzip member, up to `concurrency` compressing at once, handed on in order:
 * the encoder fills the next block while the thread pool compresses the previous ones.
 */
async function* gzipMembers(blocks: AsyncIterable<Buffer>, level: number, concurrency: number): AsyncGenerator<Buffer> {
  const pending: Array<Promise<Buffer>> = [];
  try {
    for await (const block of blocks) {
      const member = gzipAsync(block, { level });
      // Awaited in order below; a rejection seen first elsewhere must not count as unhandled.
      member.catch(() => undefined);
      pending.push(member);
      if (pending.length >= concurrency) yield await pending.shift()!;
    }
    while (pending.length) yield await pending.shift()!;
  } finally {
    pending.length = 0;
  }
}

async function* encodeLines(
  manifest: ReturnType<typeof BackupManifestInput.parse>,
  points: AsyncIterable<BackupPointInput> | Iterable<BackupPointInput>,
  result: WriteBackupResult,
  maxManifestBytes: number,
): AsyncGenerator<Buffer> {
  // Key order is part of the format: a reader can tell a backup from other JSON by its first bytes.
  const head = Buffer.from(JSON.stringify({ type: "manifest", format: BACKUP_FORMAT, version: BACKUP_VERSION, ...manifest }) + "\n");
  if (head.length > maxManifestBytes) {
    const mib = (n: number) => `${Math.ceil(n / 1024 / 1024)} MiB`;
    throw new BackupFormatError("too_large", `The manifest would be ${mib(head.length)} (${manifest.documents.length} documents' metadata), past the ${mib(maxManifestBytes)} a restore reads: back up some sources at a time.`);
  }
  result.inflatedBytes += head.length;
  yield head;
  const hash = createHash("sha256");
  const { included } = manifest.vectors;
  const { dimension } = manifest.collection;
  let batch: string[] = [];
  let batchLength = 0;
  const flush = () => {
    const bytes = Buffer.from(batch.join(""));
    hash.update(bytes);
    result.inflatedBytes += bytes.length;
    batch = [];
    batchLength = 0;
    return bytes;
  };
  let previousId: string | null = null;
  for await (const point of points) {
    if (manifest.kind === "schema") throw new Error("a schema-only backup has no points, but the caller passed some");
    // The format lists points once each in ascending id order (the stores' scroll order), so a reader refuses a repeat in O(1).
    if (previousId !== null && !(point.id > previousId)) throw new Error(`point ${point.id} comes after ${previousId}: points must be passed once each, in ascending id order`);
    previousId = point.id;
    if (included && point.vector == null) throw new Error(`point ${point.id} has no vector, but the backup includes vectors`);
    if (included && point.vector!.length !== dimension) throw new Error(`point ${point.id} has ${point.vector!.length} dimensions, the collection ${dimension}`);
    // The bytes JSON.stringify would give for {type, id, vector, payload}, without scanning the
    // base64 (it has no character JSON escapes): the encoding is a third of a backup's main-thread time.
    const line = included
      ? `{"type":"point","id":${JSON.stringify(point.id)},"vector":"${encodeVector(point.vector!)}","payload":${JSON.stringify(point.payload)}}`
      : `{"type":"point","id":${JSON.stringify(point.id)},"payload":${JSON.stringify(point.payload)}}`;
    batch.push(line, "\n");
    batchLength += line.length + 1;
    result.count++;
    if (batchLength >= CHUNK_BYTES) yield flush();
  }
  if (batch.length) yield flush();
  result.sha256 = hash.digest("hex");
  const tail = Buffer.from(JSON.stringify({ type: "trailer", count: result.count, sha256: result.sha256 }) + "\n");
  result.inflatedBytes += tail.length;
  yield tail;
}

/** Counts the compressed bytes and, with a limit, holds each chunk back until the rate allows it. */
function meterBytes(result: WriteBackupResult, rateLimitMBps: number | undefined) {
  if (rateLimitMBps !== undefined && !(rateLimitMBps > 0)) throw new Error("rateLimitMBps must be a positive number");
  const bytesPerMs = rateLimitMBps ? (rateLimitMBps * 1_000_000) / 1000 : 0;
  return async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    const started = performance.now();
    for await (const chunk of source) {
      if (bytesPerMs) {
        const wait = started + result.bytes / bytesPerMs - performance.now();
        if (wait > 1) await sleep(wait);
      }
      result.bytes += chunk.length;
      yield chunk;
    }
  };
}

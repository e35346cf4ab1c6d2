import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { BackupFormatError } from "./errors";
import { splitLines, type LineLimits, type LineStats } from "./lines";
import { BACKUP_FORMAT, BACKUP_VERSION, BackupManifestLine, BackupPointLine, BackupTrailerLine, type BackupManifest, type BackupPayload } from "./schema";
import { decodeVector } from "./vector-codec";

export type ReadBackupOptions = Partial<LineLimits> & { signal?: AbortSignal };

export type BackupPoint = { id: string; vector: Float32Array | null; payload: BackupPayload };

export type BackupSummary = LineStats & { manifest: BackupManifest; count: number; sha256: string };

export type BackupRecord =
  | { type: "manifest"; manifest: BackupManifest }
  | { type: "point"; point: BackupPoint }
  /** Last, and only once the trailer's count and checksum matched and gzip ended cleanly. */
  | { type: "end"; summary: BackupSummary };

const MiB = 1024 * 1024;
export const DEFAULT_READ_LIMITS: LineLimits = {
  maxInflatedBytes: 256 * 1024 * MiB,
  maxManifestBytes: 256 * MiB,
  maxLineBytes: 16 * MiB,
  maxInflationRatio: 100,
};

/**
 * Reads a backup from a byte stream: the manifest, each point, then the verified end. It throws a
 * BackupFormatError as soon as the file is refused; points already yielded come from a file not yet
 * proven whole, so a restore writes them somewhere a refusal can throw away.
 */
export async function* readBackup(source: AsyncIterable<Uint8Array>, options: ReadBackupOptions = {}): AsyncGenerator<BackupRecord> {
  const limits: LineLimits = { ...DEFAULT_READ_LIMITS, ...options };
  const stats: LineStats = { compressedBytes: 0, inflatedBytes: 0, maxBufferedBytes: 0, lines: 0 };
  // Large output chunks: one thread-pool round trip per 256 KiB of lines, not per 16 KiB.
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  // The reader pulls from gunzip; a refusal destroys it, and the pipeline's own error then is moot.
  const feeding = pipeline(Readable.from(checkGzipMagic(source, stats)), gunzip, { signal: options.signal }).catch(() => undefined);
  let manifest: BackupManifest | null = null;
  let trailer: BackupTrailerLine | null = null;
  const hash = createHash("sha256");
  let count = 0;
  let previousId: string | null = null;
  try {
    for await (const line of splitLines(gunzip, limits, stats)) {
      const n = stats.lines;
      if (!manifest) {
        manifest = parseManifest(line);
        yield { type: "manifest", manifest };
        continue;
      }
      if (trailer) throw new BackupFormatError("corrupt_line", `Line ${n} comes after the trailer, which must be the last line: the file was altered or is damaged.`);
      const value = parseJson(line, n);
      if (value?.type === "trailer") {
        const parsed = BackupTrailerLine.safeParse(value);
        if (!parsed.success) throw invalidLine(n, "trailer", parsed.error);
        trailer = parsed.data;
        continue;
      }
      const parsed = plainPointLine(value) ?? BackupPointLine.safeParse(value);
      if (!parsed.success) throw invalidLine(n, "point", parsed.error);
      const { id } = parsed.data;
      if (previousId !== null && !(id > previousId)) {
        const what = id === previousId ? `repeats point ${id}` : `lists point ${id} after ${previousId}`;
        throw new BackupFormatError("corrupt_line", `Line ${n} ${what}: a backup lists each point once, in ascending id order, so the file is damaged, was altered, or was not written by Stevedore.`);
      }
      previousId = id;
      hash.update(line);
      count++;
      yield { type: "point", point: toPoint(parsed.data, manifest, n) };
    }
  } catch (error) {
    gunzip.destroy();
    throw translateZlibError(error);
  } finally {
    gunzip.destroy();
    await feeding;
  }
  if (!manifest) throw new BackupFormatError("not_a_backup", "The file is empty once decompressed: it is not a Stevedore backup.");
  if (!trailer) {
    throw new BackupFormatError("truncated", `The backup ends after ${count} points without its trailer: it was cut short (an interrupted backup or an incomplete copy). Take the backup again, or copy the whole file.`);
  }
  const sha256 = hash.digest("hex");
  if (trailer.count !== count) {
    throw new BackupFormatError("checksum", `The backup's trailer says ${trailer.count} points but the file holds ${count}: the file was altered or is damaged.`);
  }
  if (trailer.sha256 !== sha256) {
    throw new BackupFormatError("checksum", "The backup's points do not match its SHA-256 checksum: the file was damaged or altered after it was written. Use another copy or take a new backup.");
  }
  yield { type: "end", summary: { ...stats, manifest, count, sha256 } };
}

/** Reads the whole file without keeping anything: its manifest, count and checksum, or the refusal. */
export async function verifyBackup(source: AsyncIterable<Uint8Array>, options: ReadBackupOptions = {}): Promise<BackupSummary> {
  for await (const record of readBackup(source, options)) if (record.type === "end") return record.summary;
  throw new Error("readBackup ended without its end record");
}

/** The manifest alone (a dry run): reads only as far as the first line, then lets the source go. */
export async function readBackupManifest(source: AsyncIterable<Uint8Array>, options: ReadBackupOptions = {}): Promise<BackupManifest> {
  for await (const record of readBackup(source, options)) if (record.type === "manifest") return record.manifest;
  throw new Error("readBackup yielded no manifest");
}

async function* checkGzipMagic(source: AsyncIterable<Uint8Array>, stats: LineStats): AsyncGenerator<Uint8Array> {
  let head = Buffer.alloc(0);
  let checked = false;
  for await (const chunk of source) {
    stats.compressedBytes += chunk.length;
    if (!checked) {
      head = Buffer.concat([head, chunk]);
      if (head.length < 2) continue;
      if (head[0] !== 0x1f || head[1] !== 0x8b) throw new BackupFormatError("not_a_backup", "The file is not gzip-compressed, so it is not a Stevedore backup (backups are .jsonl.gz files).");
      checked = true;
      yield head;
      continue;
    }
    yield chunk;
  }
  if (!checked) throw new BackupFormatError("not_a_backup", "The file is empty or too short to be a Stevedore backup.");
}

function parseManifest(line: Buffer): BackupManifest {
  const value = parseJson(line, 1, "not_a_backup");
  if (value?.type !== "manifest" || value.format !== BACKUP_FORMAT) {
    throw new BackupFormatError("not_a_backup", "The file is gzip-compressed JSON but does not start with a Stevedore backup manifest: it is a file of another kind.");
  }
  if (typeof value.version === "number" && value.version > BACKUP_VERSION) {
    throw new BackupFormatError(
      "future_version",
      `This backup is in format version ${value.version}, written by a newer Stevedore; this one reads version ${BACKUP_VERSION}. Upgrade Stevedore to restore it.`,
    );
  }
  const parsed = BackupManifestLine.safeParse(value);
  if (!parsed.success) throw invalidLine(1, "manifest", parsed.error);
  return parsed.data;
}

const POINT_KEYS = new Set(["type", "id", "vector", "payload"]);

/**
 * The common case of BackupPointLine.safeParse, without zod's cost (a third of a restore's parsing):
 * a line with exactly the schema's keys and types passes as it is; anything else (an extra key, a
 * wrong type) returns null and goes to zod, which decides and words the refusal.
 */
function plainPointLine(value: unknown): { success: true; data: BackupPointLine } | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (v.type !== "point" || typeof v.id !== "string" || v.id.length === 0) return null;
  if (v.vector !== undefined && typeof v.vector !== "string") return null;
  for (const key in v) if (!POINT_KEYS.has(key)) return null;
  const payload = v.payload;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return null;
  for (const key in payload) {
    const field = (payload as Record<string, unknown>)[key];
    const kind = typeof field;
    if (!(field === null || kind === "string" || kind === "boolean" || (kind === "number" && Number.isFinite(field)))) return null;
  }
  return { success: true, data: v as BackupPointLine };
}

function toPoint(line: BackupPointLine, manifest: BackupManifest, n: number): BackupPoint {
  if (!manifest.vectors.included) {
    if (line.vector !== undefined) throw new BackupFormatError("corrupt_line", `Line ${n} has a vector, but the manifest says this backup has none: the file is inconsistent.`);
    return { id: line.id, vector: null, payload: line.payload };
  }
  const { dimension } = manifest.collection;
  const vector = line.vector === undefined ? null : decodeVector(line.vector, dimension);
  if (!vector) throw new BackupFormatError("corrupt_line", `Line ${n} (point ${line.id}) lacks a valid ${dimension}-dimensional vector: the file is damaged.`);
  return { id: line.id, vector, payload: line.payload };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the line's shape is checked by zod right after
function parseJson(line: Buffer, n: number, code: "corrupt_line" | "not_a_backup" = "corrupt_line"): any {
  try {
    return JSON.parse(line.toString("utf8"));
  } catch (cause) {
    const what = code === "not_a_backup" ? "The file's first line is not JSON: it is not a Stevedore backup." : `Line ${n} is not valid JSON: the file is damaged.`;
    throw new BackupFormatError(code, what, { cause });
  }
}

function invalidLine(n: number, kind: string, error: { issues: Array<{ path: PropertyKey[] }> }) {
  const fields = [...new Set(error.issues.map((i) => i.path.map(String).join(".") || "(the line itself)"))].slice(0, 5).join(", ");
  return new BackupFormatError("corrupt_line", `Line ${n} is not a valid ${kind} line (${fields} missing or invalid): the file is damaged or was not written by Stevedore.`);
}

/** zlib's own words mean nothing to an operator; its error codes say which refusal it is. */
function translateZlibError(error: unknown): unknown {
  if (error instanceof BackupFormatError) return error;
  const code = (error as { code?: string } | null)?.code;
  if (code === "Z_BUF_ERROR") {
    return new BackupFormatError("truncated", "The backup file ends early (its gzip stream is cut short): it was not written or copied completely. Take the backup again, or copy the whole file.", { cause: error });
  }
  if (code === "Z_DATA_ERROR") {
    return new BackupFormatError("checksum", "The backup file is damaged: its gzip data fails the integrity check. Use another copy or take a new backup.", { cause: error });
  }
  return error;
}

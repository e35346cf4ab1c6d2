import { PassThrough, Writable } from "node:stream";
import type { BackupManifestInput } from "./schema";
import { writeBackup, type BackupPointInput, type WriteBackupOptions } from "./write";

/** A manifest as a backup operation would fill it, for a collection of `dimension`. */
export function sampleManifest(dimension: number, overrides: Partial<BackupManifestInput> = {}): BackupManifestInput {
  return {
    kind: "full",
    createdAt: "2025-03-01T10:00:00.000Z",
    createdBy: "operator@stevedore.local",
    note: "before the model change — «ünïcödé» 備份 🚢",
    collection: { name: "docs", embeddingModel: "builtin-hash", dimension, distance: "cosine", chunkSize: 1200, chunkOverlap: 150 },
    aliases: [{ alias: "docs", target: "docs__v3" }],
    aliasHistory: [{ at: "2025-02-01T09:00:00.000Z", actorLabel: "admin@stevedore.local", fromVersion: 2, toVersion: 3, reason: "reindex" }],
    sources: [{ id: "s1", name: "manuals", kind: "directory", path: "/srv/manuals" }],
    documents: [{ id: "d1", sourceId: "s1", path: "a/read-me.md", contentHash: "ab".repeat(32), sizeBytes: 1234, chunkCount: 2, title: "Read me" }],
    goldenQueries: [{ query: "how to restore", expectedDocumentIds: ["d1"] }],
    counts: { points: 0, documents: 1, sources: 1 },
    vectors: { included: true, unitLength: true },
    ...overrides,
  };
}

/** Deterministic points (a small LCG, so a failure reproduces), payload text with non-ASCII characters. */
export function* samplePoints(count: number, dimension: number | null, seed = 1): Generator<BackupPointInput> {
  let state = seed >>> 0;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < count; i++) {
    const vector = dimension === null ? null : Float32Array.from({ length: dimension }, next);
    yield { id: `p-${String(i).padStart(9, "0")}`, vector, payload: { document_id: `d${i % 97}`, ordinal: i, text: `chunk ${i}: café naïve 東京 🚀 "quoted" \\ back\nline`, score: i / 7, ok: i % 2 === 0, none: null } };
  }
}

/** A whole backup in memory: tests only, at sizes that fit. */
export async function backupBytes(manifest: BackupManifestInput, points: Iterable<BackupPointInput>, options?: WriteBackupOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (chunks.push(chunk), done()) });
  await writeBackup(manifest, points, sink, options);
  return Buffer.concat(chunks);
}

/** The bytes as a stream in small pieces, as a file or an upload arrives. */
export function streamOf(bytes: Buffer, pieceBytes = 64 * 1024): PassThrough {
  const out = new PassThrough();
  (async () => {
    for (let i = 0; i < bytes.length; i += pieceBytes) if (!out.write(bytes.subarray(i, i + pieceBytes))) await new Promise((r) => out.once("drain", r));
    out.end();
  })().catch((error) => out.destroy(error));
  return out;
}

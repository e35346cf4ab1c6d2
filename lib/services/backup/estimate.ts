import { Writable } from "node:stream";
import { and, desc, eq, gt } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { Collection } from "@/db/schema/collections";
import { operationMetrics, operations } from "@/db/schema/operations";
import { coveredSources, pointFilterOf } from "@/lib/backup/manifest";
import { writeBackup } from "@/lib/backup/write";
import { activeVersionOf } from "@/lib/reindex/versions";
import { getVectorStore } from "@/lib/vector";

const SAMPLE = 500;

export type BackupEstimate = { points: number; documents: number | null; bytes: number; seconds: number | null; basis: "past backups" | "sample" | "empty" };

/**
 * What a backup would take: the points it would hold, and its size and duration from a sample of
 * them written the real way (scroll, encode, gzip) and, once this collection has been backed up,
 * from the rate its last backups achieved.
 */
export async function estimateBackup(collection: Collection, opts: { kind: "full" | "schema"; vectors: boolean; sources: string[] | null }): Promise<BackupEstimate> {
  const version = await activeVersionOf(collection.id);
  const covered = await coveredSources(collection.id, opts.sources);
  const filter = pointFilterOf(covered, opts.sources);
  if (opts.kind === "schema" || !version || (filter && covered.length === 0)) return { points: 0, documents: null, bytes: 0, seconds: 0, basis: "empty" };
  const store = await getVectorStore();
  const points = await store.count(version.physicalName, filter);
  if (points === 0) return { points: 0, documents: null, bytes: 0, seconds: 0, basis: "empty" };
  const started = performance.now();
  const page = await store.scroll(version.physicalName, { limit: SAMPLE, withVectors: opts.vectors, filter });
  const written = await writeBackup(
    { kind: "full", createdAt: new Date().toISOString(), collection: { ...collection, activeVersion: null }, counts: { points: page.points.length, documents: 0, sources: 0 }, vectors: { included: opts.vectors, unitLength: null } },
    page.points.map((p) => ({ id: p.id, vector: opts.vectors ? p.vector : null, payload: p.payload })),
    new Writable({ write: (_chunk, _encoding, done) => done() }),
  );
  const sampleSeconds = (performance.now() - started) / 1000;
  const perPoint = written.count ? written.bytes / written.count : 0;
  const rate = await pastRate(collection.id);
  const seconds = rate ? points / rate : written.count ? (sampleSeconds / written.count) * points : null;
  return { points, documents: null, bytes: Math.round(perPoint * points), seconds: seconds === null ? null : Math.max(1, Math.round(seconds)), basis: rate ? "past backups" : "sample" };
}

/** Points per second of this collection's last successful backups, or null before its first. */
async function pastRate(collectionId: string): Promise<number | null> {
  const rows = await getDb()
    .select({ vectors: operationMetrics.vectors, durationMs: operationMetrics.durationMs })
    .from(operations)
    .innerJoin(operationMetrics, eq(operationMetrics.operationId, operations.id))
    .where(and(eq(operations.collectionId, collectionId), eq(operations.type, "BACKUP"), eq(operations.status, "succeeded"), gt(operationMetrics.vectors, 1000)))
    .orderBy(desc(operations.createdAt))
    .limit(5);
  const points = rows.reduce((a, r) => a + r.vectors, 0);
  const ms = rows.reduce((a, r) => a + (r.durationMs ?? 0), 0);
  return points && ms ? (points * 1000) / ms : null;
}

import { createReadStream } from "node:fs";
import { and, eq, inArray, ne } from "drizzle-orm";
import { getDb } from "@/db/client";
import { backups } from "@/db/schema/backups";
import { collectionVersions } from "@/db/schema/collection-versions";
import { documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { formatBytes, formatCount } from "@/lib/format";
import { loadOperation } from "@/lib/pipeline/context";
import { PermanentError } from "@/lib/pipeline/errors";
import { physicalName } from "@/lib/pipeline/target";
import { dropVersion, nextVersionNumber, switchToVersion, versionSettings } from "@/lib/reindex/versions";
import { StageTally } from "@/lib/observability/stage-tally";
import { finishOperation, recordCheckpoint } from "@/lib/services/operation/progress";
import { recordStageTally } from "@/lib/services/operation/stage-metrics";
import { getVectorStore } from "@/lib/vector";
import { unusableBackupReason } from "./errors";
import { backupPaths, removeFiles } from "./files";
import { verifyBackup } from "./read";
import { discardUnrestoredCollection } from "./restore-run";
import { BackupCancelled, takeBackup, type TakenBackup } from "./take";

type BackupParams = { backupId: string; rateLimitMBps?: number | null };
type ClearParams = { backupFirst: boolean; backupId?: string };

/** The backup checkpoint of a BACKUP (or of a CLEAR that backs up first): the file, or "cancelled". */
export async function backupCheckpoint(operationId: string): Promise<TakenBackup | { cancelled: true }> {
  const { op, collection } = await loadOperation(operationId);
  const { backupId, rateLimitMBps } = op.params as BackupParams;
  await recordCheckpoint(operationId, "backup", { status: "running" });
  try {
    const taken = await takeBackup(operationId, backupId, collection, { rateLimitMBps });
    await recordCheckpoint(operationId, "backup", { status: "succeeded", output: { backupId, points: taken.points, bytes: taken.bytes, sha256: taken.sha256 } });
    return taken;
  } catch (err) {
    if (err instanceof BackupCancelled) return { cancelled: true };
    throw err;
  }
}

export async function finishBackup(operationId: string, taken: TakenBackup) {
  const result = { backupId: taken.backupId, points: taken.points, documents: taken.documents, bytes: taken.bytes, sha256: taken.sha256, seconds: Math.round(taken.seconds * 10) / 10 };
  await finishOperation(operationId, {
    status: "succeeded",
    result,
    metrics: { documents: taken.documents, vectors: taken.points, bytes: taken.bytes },
    log: { level: "info", message: `Backed up ${formatCount(taken.points)} points of ${formatCount(taken.documents)} documents (${formatBytes(taken.bytes)}, SHA-256 ${taken.sha256.slice(0, 12)}…).` },
  });
  return result;
}

/**
 * VERIFY_BACKUP: re-reads the whole file (gzip, every line, count and checksum against the trailer
 * and against the record) and keeps the verdict on the backup. A damaged file fails the operation
 * with the reader's reason; the backup stays listed, flagged.
 */
export async function verifyCheckpoint(operationId: string) {
  const db = getDb();
  const [op] = await db.select().from(operations).where(eq(operations.id, operationId));
  const { backupId } = (op?.params ?? {}) as BackupParams;
  const [backup] = backupId ? await db.select().from(backups).where(eq(backups.id, backupId)) : [];
  if (!backup) throw new PermanentError("The backup no longer exists.");
  await recordCheckpoint(operationId, "verify", { status: "running" });
  let verdict: { ok: boolean; error: string | null; points?: number; sha256?: string };
  // The read is timed whatever its verdict: a refused file's time is spent all the same.
  const tally = new StageTally();
  const timing = { started: performance.now(), points: 0 };
  try {
    const summary = await verifyBackup(createReadStream(backup.path, { highWaterMark: 1024 * 1024 }));
    timing.points = summary.count;
    const mismatch =
      backup.sha256 && summary.sha256 !== backup.sha256 ? "its checksum differs from the one recorded when it was taken" : backup.pointCount != null && summary.count !== backup.pointCount ? "its point count differs from the one recorded" : null;
    verdict = mismatch ? { ok: false, error: `The file reads as a whole backup, but ${mismatch}: it was replaced or altered.` } : { ok: true, error: null, points: summary.count, sha256: summary.sha256 };
  } catch (err) {
    const reason = unusableBackupReason(err);
    if (reason === undefined) throw err;
    verdict = { ok: false, error: reason };
  }
  tally.add("backup-verify", performance.now() - timing.started, timing.points);
  tally.counters.bytesRead += backup.sizeBytes ?? 0;
  // A retried verify reads the file again: its figures replace the last attempt's.
  await db.transaction(async (tx) => {
    await tx.update(backups).set({ verifiedAt: new Date(), verifiedOk: verdict.ok, verifyError: verdict.error }).where(eq(backups.id, backup.id));
    await recordStageTally(tx, operationId, tally, { replace: true });
  });
  await recordCheckpoint(operationId, "verify", { status: verdict.ok ? "succeeded" : "failed", output: verdict, error: verdict.error ?? undefined });
  await finishOperation(operationId, verdict.ok
    ? { status: "succeeded", result: { backupId, verified: true, points: verdict.points, sha256: verdict.sha256 }, metrics: { vectors: verdict.points ?? 0, bytes: backup.sizeBytes ?? 0 } }
    : { status: "failed", result: { backupId, verified: false }, error: verdict.error! });
  return verdict;
}

/**
 * CLEAR: the collection switches to a new, empty version (searches see the old points or none,
 * never an error), the versions before it are dropped, and its documents go; sources and settings
 * stay. With "back up first", it runs only after that backup completed (see the function).
 */
export async function clearCheckpoint(operationId: string) {
  await recordCheckpoint(operationId, "clear", { status: "running" });
  const started = performance.now();
  const { op, collection } = await loadOperation(operationId);
  const db = getDb();
  const store = await getVectorStore();
  let [empty] = await db.select().from(collectionVersions).where(and(eq(collectionVersions.operationId, operationId), inArray(collectionVersions.status, ["staging", "active"])));
  if (!empty) {
    const version = await nextVersionNumber(collection.id);
    [empty] = await db.insert(collectionVersions).values({ collectionId: collection.id, version, physicalName: physicalName(collection.name, version), status: "staging", operationId, ...versionSettings(collection) }).returning();
  }
  await store.createCollection(empty!.physicalName, { dimension: empty!.dimension, distance: empty!.distance, layout: collection.vectorLayout });
  // No rollback window: a clear is meant to free the space; the backup taken first is the way back.
  await switchToVersion({ collectionId: collection.id, toVersionId: empty!.id, operationId, actorId: op.requestedBy, reason: "restore", rollbackWindowHours: 0 });
  const older = await db.select({ id: collectionVersions.id }).from(collectionVersions).where(and(eq(collectionVersions.collectionId, collection.id), ne(collectionVersions.id, empty!.id), eq(collectionVersions.status, "retired")));
  for (const v of older) await dropVersion(v.id, "deleted", ["retired"]);
  const removed = await db.delete(documents).where(eq(documents.collectionId, collection.id)).returning({ id: documents.id });
  const params = op.params as ClearParams;
  const output = { documentsRemoved: removed.length, versionsDropped: older.length, toVersion: empty!.version, backupId: params.backupId ?? null };
  // Recorded before the operation ends, so a finished clear shows its time; a repeated step replaces it.
  const tally = new StageTally();
  tally.add("clear", performance.now() - started, removed.length);
  await recordStageTally(db, operationId, tally, { replace: true });
  await recordCheckpoint(operationId, "clear", { status: "succeeded", output });
  await finishOperation(operationId, { status: "succeeded", result: output, metrics: { documents: removed.length }, log: { level: "info", message: `Cleared ${collection.name}: ${removed.length} documents removed; settings and sources kept.` } });
  return output;
}

/**
 * What a BACKUP, RESTORE or CLEAR leaves when it fails or is cancelled: a backup still being
 * written is marked failed and its partial file removed; a collection a restore created but never
 * activated is removed. Called by the shared failure and cancellation paths; a no-op for other types.
 */
export async function abandonBackupWork(operationId: string): Promise<void> {
  const db = getDb();
  const unfinished = await db.update(backups).set({ status: "failed", error: "The operation stopped before the backup was complete.", finishedAt: new Date() }).where(and(eq(backups.operationId, operationId), eq(backups.status, "running"))).returning();
  for (const b of unfinished) await removeFiles(backupPaths(b.id).partial);
  await discardUnrestoredCollection(operationId);
}

import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { backups, type Backup } from "@/db/schema/backups";
import type { Collection } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { users } from "@/db/schema/users";
import { isOperationActive } from "@/lib/operation-status";
import { PermanentError } from "@/lib/pipeline/errors";
import { activeVersionOf } from "@/lib/reindex/versions";
import { StageTally } from "@/lib/observability/stage-tally";
import { setOperationProgress } from "@/lib/services/operation/progress";
import { recordStageTally } from "@/lib/services/operation/stage-metrics";
import { getVectorStore } from "@/lib/vector";
import type { PointFilter } from "@/lib/vector/types";
import { isBackupFormatError } from "./errors";
import { backupPaths, commitFile, ensureBackupDir, removeFiles } from "./files";
import { buildManifest, coveredSources, pointFilterOf } from "./manifest";
import type { BackupPointInput } from "./write";
import { writeBackup } from "./write";

/** Points per scroll page: a page of 384-d vectors with their text is a few MB. */
const PAGE = 1000;
const PROGRESS_EVERY_MS = 1000;

export class BackupCancelled extends Error {}

export type TakenBackup = { backupId: string; points: number; documents: number; bytes: number; sha256: string; seconds: number };

/**
 * Writes backup `backupId` of `collection` (its active version) to its file: manifest, points
 * scrolled from the store page by page as fast as gzip and the disk take them, trailer. The file is
 * renamed into place only when whole and synced, so a crash or a retry starts a fresh file and the
 * row says "complete" only for a file that is. Cancelling the operation stops it at the next page.
 */
export async function takeBackup(operationId: string, backupId: string, collection: Collection, opts: { rateLimitMBps?: number | null } = {}): Promise<TakenBackup> {
  const db = getDb();
  const [row] = await db.select().from(backups).where(eq(backups.id, backupId));
  if (!row) throw new PermanentError("The backup's record is gone.");
  if (row.status === "complete") return summaryOf(row);
  const started = performance.now();
  const store = await getVectorStore();
  const version = await activeVersionOf(collection.id);
  const covered = await coveredSources(collection.id, row.sourceFilter ?? null);
  const filter = pointFilterOf(covered, row.sourceFilter ?? null);
  const full = row.kind === "full";
  // A collection never indexed has no version yet: its backup is its config alone, with no points.
  const total = full && version && (!filter || covered.length) ? await store.count(version.physicalName, filter) : 0;
  const manifest = await buildManifest(collection, { kind: row.kind, vectors: row.vectors, sourceFilter: row.sourceFilter ?? null, note: row.note, createdBy: await actorLabel(row), points: total });
  await ensureBackupDir();
  const { final, partial } = backupPaths(backupId);
  const points = full && version && total > 0 ? scrollPoints(operationId, version.physicalName, filter, row.vectors, total, partial) : [];
  // A cancel stops the writer within a second, even while a rate limit holds it between pages.
  const abort = new AbortController();
  const watch = setInterval(() => void stillActive(operationId).then((active) => active || abort.abort()), 1000);
  try {
    const tally = new StageTally();
    const written = await tally.time("backup-write", 0, () => writeBackup(manifest, points, createWriteStream(partial), { rateLimitMBps: opts.rateLimitMBps ?? undefined, signal: abort.signal }));
    tally.stages.get("backup-write")!.items = written.count;
    tally.counters.bytesWritten += written.bytes;
    if (written.count !== total) throw new Error(`the collection changed during the backup: counted ${total} points, wrote ${written.count}`);
    await commitFile(partial, final);
    // Only a backup still running completes: one its operation's clean-up marked failed stays so.
    // The figures go with the "complete": a retry finds the backup complete and writes nothing more.
    const [done] = await db.transaction(async (tx) => {
      const rows = await tx
        .update(backups)
        .set({ status: "complete", path: final, sizeBytes: written.bytes, sha256: written.sha256, pointCount: written.count, documentCount: manifest.counts.documents, finishedAt: new Date() })
        .where(and(eq(backups.id, backupId), eq(backups.status, "running")))
        .returning();
      if (rows.length) await recordStageTally(tx, operationId, tally);
      return rows;
    });
    if (!done) {
      await removeFiles(final);
      throw new BackupCancelled("the operation was cancelled");
    }
    return { ...summaryOf(done), seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    await removeFiles(partial);
    if (abort.signal.aborted) throw new BackupCancelled("the operation was cancelled");
    // A backup the format refuses to write (its manifest too large) is refused again by a retry.
    if (isBackupFormatError(err)) throw new PermanentError(err.message);
    throw err;
  } finally {
    clearInterval(watch);
  }
}

async function stillActive(operationId: string): Promise<boolean> {
  const [op] = await getDb().select({ status: operations.status }).from(operations).where(eq(operations.id, operationId));
  return !!op && isOperationActive(op.status);
}

const summaryOf = (b: Backup): TakenBackup => ({ backupId: b.id, points: b.pointCount ?? 0, documents: b.documentCount ?? 0, bytes: b.sizeBytes ?? 0, sha256: b.sha256 ?? "", seconds: 0 });

async function actorLabel(row: Backup): Promise<string | null> {
  if (!row.createdBy) return null;
  const [user] = await getDb().select({ email: users.email }).from(users).where(eq(users.id, row.createdBy));
  return user?.email ?? null;
}

async function* scrollPoints(operationId: string, physicalName: string, filter: PointFilter | undefined, withVectors: boolean, total: number, file: string): AsyncGenerator<BackupPointInput> {
  const store = await getVectorStore();
  const started = performance.now();
  let lastReport = started;
  let done = 0;
  const fetchPage = (cursor: string | null) => {
    const page = store.scroll(physicalName, { limit: PAGE, cursor, withVectors, filter });
    // Awaited below; a failure while the consumer is elsewhere must not count as unhandled.
    page.catch(() => undefined);
    return page;
  };
  // One page ahead: the store reads the next page (natively, off the main thread) while this one is encoded.
  let nextPage = fetchPage(null);
  for (;;) {
    if (!(await stillActive(operationId))) throw new BackupCancelled("the operation was cancelled");
    const page = await nextPage;
    if (page.nextCursor) nextPage = fetchPage(page.nextCursor);
    for (const p of page.points) yield { id: p.id, vector: withVectors ? p.vector : null, payload: p.payload };
    done += page.points.length;
    const now = performance.now();
    if (now - lastReport > PROGRESS_EVERY_MS || !page.nextCursor) {
      lastReport = now;
      const ratePerS = done / Math.max(0.001, (now - started) / 1000);
      const bytes = (await stat(file).catch(() => null))?.size ?? 0;
      await setOperationProgress(operationId, { done, total, unit: "points", bytes, ratePerS: Math.round(ratePerS), etaS: ratePerS > 0 ? Math.round((total - done) / ratePerS) : undefined });
    }
    if (!page.nextCursor) return;
  }
}

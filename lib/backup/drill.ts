import { createReadStream } from "node:fs";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DrillReport } from "@/db/schema/backup-schedules";
import { backups } from "@/db/schema/backups";
import { goldenQueries } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { getLogger } from "@/lib/observability/logger";
import { isOperationActive } from "@/lib/operation-status";
import { DEFAULT_THRESHOLDS } from "@/lib/reindex/validate";
import { activeVersionOf } from "@/lib/reindex/versions";
import { getVectorStore } from "@/lib/vector";
import { emitAudit } from "@/lib/services/audit/emit";
import { deleteCollection } from "@/lib/services/collection/delete";
import { searchCollection } from "@/lib/services/collection/search";
import { systemContext } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { startRestore } from "@/lib/services/backup/restore";
import { readBackup } from "./read";
import { drillCollectionName } from "./schedule";

/** The parts of a restore drill, each a step of inngest/functions/restore-drill.ts. */

const SAMPLE_QUERIES = 5;
const SAMPLE_SCAN_POINTS = 500;
const K = 10;

export type DrillStart =
  | { started: true; backupId: string; operationId: string; collectionId: string; scratch: string }
  | { started: false; backupId: string | null; reason: string };

const message = (err: unknown) => (err instanceof ServiceError ? err.message : "Internal error; see the server log.");

/** Restores the collection's latest complete full backup into a new scratch collection (as the system). */
export async function startDrill(collectionId: string, slot: string, correlationId: string): Promise<DrillStart> {
  const db = getDb();
  const [backup] = await db
    .select()
    .from(backups)
    .where(and(eq(backups.collectionId, collectionId), eq(backups.status, "complete"), eq(backups.kind, "full")))
    .orderBy(desc(backups.createdAt))
    .limit(1);
  if (!backup) return { started: false, backupId: null, reason: "The collection has no complete full backup to drill." };
  const scratch = drillCollectionName(backup.collectionName, new Date(slot));
  // A retried step finds the restore its first try started.
  const [earlier] = await db
    .select({ id: operations.id, collectionId: operations.collectionId })
    .from(operations)
    .where(and(eq(operations.type, "RESTORE"), sql`${operations.params}->>'collection' = ${scratch}`, sql`${operations.params}->>'backupId' = ${backup.id}`))
    .limit(1);
  if (earlier?.collectionId) return { started: true, backupId: backup.id, operationId: earlier.id, collectionId: earlier.collectionId, scratch };
  try {
    const restore = await startRestore({ ctx: systemContext(correlationId), input: { backupId: backup.id, mode: "new", into: scratch } });
    return { started: true, backupId: backup.id, operationId: restore.operationId, collectionId: restore.collectionId!, scratch };
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    return { started: false, backupId: backup.id, reason: `The restore was refused: ${err.message}` };
  }
}

/** The restore's status and, once it ended, its error. */
export async function drillRestoreStatus(operationId: string) {
  const [op] = await getDb().select({ status: operations.status, error: operations.error }).from(operations).where(eq(operations.id, operationId));
  if (!op) return { done: true, ok: false, error: "The restore operation is gone." };
  if (isOperationActive(op.status)) return { done: false, ok: false, error: null };
  return { done: true, ok: op.status === "succeeded", error: op.status === "succeeded" ? null : `The restore ${op.status}${op.error ? `: ${op.error}` : "."}` };
}

/** Up to five points of different documents from the start of the file: each should find its own document. */
async function sampleQueries(path: string): Promise<{ query: string; path: string }[]> {
  const out: { query: string; path: string }[] = [];
  let scanned = 0;
  for await (const record of readBackup(createReadStream(path))) {
    if (record.type !== "point") continue;
    const text = String(record.point.payload.text ?? "");
    const docPath = String(record.point.payload.path ?? "");
    if (text && docPath && !out.some((s) => s.path === docPath)) out.push({ query: text.split(/\s+/).slice(0, 16).join(" ").slice(0, 500), path: docPath });
    if (out.length >= SAMPLE_QUERIES || ++scanned >= SAMPLE_SCAN_POINTS) break;
  }
  return out;
}

/**
 * Runs the source collection's golden queries (their expected documents matched by path) and sample
 * queries against the scratch collection. Errors are part of the report, never thrown: the scratch
 * collection must still be removed.
 */
export async function runDrillQueries(sourceCollectionId: string, backupId: string, scratch: { collectionId: string; name: string; operationId: string }): Promise<DrillReport> {
  const db = getDb();
  const ctx = systemContext();
  const report: DrillReport = { scratch: scratch.name, operationId: scratch.operationId, points: null, queries: [], goldenRecall: null, errors: [] };
  const run = async (kind: "golden" | "sample", query: string, expectedPaths: string[]) => {
    try {
      const { hits } = await searchCollection({ ctx, input: { collectionId: scratch.collectionId, query, limit: K } });
      const found = new Set(hits.map((h) => h.path));
      const recall = expectedPaths.length ? expectedPaths.filter((p) => found.has(p)).length / expectedPaths.length : null;
      report.queries.push({ kind, query: query.slice(0, 200), hits: hits.length, recall: recall === null ? null : Math.round(recall * 1000) / 1000 });
    } catch (err) {
      report.errors.push(`${kind} query “${query.slice(0, 60)}”: ${message(err)}`);
    }
  };
  try {
    const [backup] = await db.select().from(backups).where(eq(backups.id, backupId));
    const live = await activeVersionOf(scratch.collectionId);
    report.points = live ? await (await getVectorStore()).count(live.physicalName) : 0;
    if (backup?.pointCount != null && report.points !== backup.pointCount) report.errors.push(`The scratch collection holds ${report.points} points; the backup ${backup.pointCount}.`);
    const golden = await db.select().from(goldenQueries).where(eq(goldenQueries.collectionId, sourceCollectionId)).limit(100);
    const ids = [...new Set(golden.flatMap((g) => g.expectedDocumentIds))];
    const paths = new Map((ids.length ? await db.select({ id: documents.id, path: documents.path }).from(documents).where(inArray(documents.id, ids)) : []).map((d) => [d.id, d.path]));
    for (const g of golden) await run("golden", g.query, g.expectedDocumentIds.flatMap((id) => (paths.has(id) ? [paths.get(id)!] : [])));
    if (backup) for (const s of await sampleQueries(backup.path)) await run("sample", s.query, [s.path]);
  } catch (err) {
    getLogger().warn({ err, backupId }, "a restore drill's queries failed");
    report.errors.push(`The queries could not run: ${message(err)}`);
  }
  const recalls = report.queries.filter((q) => q.kind === "golden" && q.recall !== null).map((q) => q.recall!);
  report.goldenRecall = recalls.length ? Math.round((recalls.reduce((a, b) => a + b, 0) / recalls.length) * 1000) / 1000 : null;
  if (report.goldenRecall !== null && report.goldenRecall < DEFAULT_THRESHOLDS.minRecall) report.errors.push(`Golden queries found ${report.goldenRecall} of their expected documents; at least ${DEFAULT_THRESHOLDS.minRecall} is needed.`);
  if (report.queries.some((q) => q.hits === 0)) report.errors.push("Some queries found nothing in the restored collection.");
  if (!report.queries.length && !report.errors.length) report.errors.push("No query could be run: the backup has no text to sample and the collection no golden queries.");
  return report;
}

/** Keeps the verdict on the backup: the page's "last proven restorable", audited as the system. */
export async function recordDrill(backupId: string, report: DrillReport, correlationId: string) {
  const ok = report.errors.length === 0;
  const ctx = systemContext(correlationId);
  await getDb().transaction(async (tx) => {
    await tx.update(backups).set({ drilledAt: new Date(), drillOk: ok, drillReport: report }).where(eq(backups.id, backupId));
    await emitAudit(tx, ctx, { action: "backup.drill", target: { type: "backup", id: backupId }, outcome: ok ? "success" : "failure", error: ok ? undefined : report.errors[0]?.slice(0, 500), params: { scratch: report.scratch, queries: report.queries.length, goldenRecall: report.goldenRecall } });
  });
  return { ok };
}

/** Deletes the scratch collection (a failed restore may have removed it already). */
export async function removeScratch(collectionId: string, name: string, correlationId: string) {
  const [exists] = await getDb().select({ id: collections.id }).from(collections).where(eq(collections.id, collectionId));
  if (!exists) return { removed: false };
  await deleteCollection({ ctx: systemContext(correlationId), input: { collectionId, confirmName: name } });
  return { removed: true };
}

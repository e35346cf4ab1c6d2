import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { sources } from "@/db/schema/sources";
import { env } from "@/lib/env";
import { isOperationActive } from "@/lib/operation-status";
import { getVectorStore } from "@/lib/vector";
import { setOperationProgress } from "@/lib/services/operation/progress";
import { loadOperation, loadSource } from "./context";
import { settleTarget } from "./target";

export type RemovalProgress = { removed: number; points: number; remaining: boolean; cancelled: boolean };

/** Documents elsewhere that were skipped as copies of `ids` are no longer duplicates of anything: they wait for an APPEND. */
async function releaseDuplicatesOf(ids: string[], sourceId: string): Promise<void> {
  await getDb()
    .update(documents)
    .set({ duplicateOf: null, stage: "failed", errorClass: "original_removed", errorMessage: "Its original was removed; append its source again to index it." })
    .where(and(inArray(documents.duplicateOf, ids), sql`${documents.sourceId} <> ${sourceId}`));
}

/**
 * REMOVE_SOURCE, one step: batches of the source's documents (points first, then the rows;
 * chunks go with their documents) until none is left, STEVEDORE_STEP_TIME_BUDGET_MS has passed,
 * or the operation was cancelled, which is checked before every batch. Progress is published per batch.
 */
export async function removeSourceBatches(operationId: string, before: { removed: number; total: number }): Promise<RemovalProgress> {
  const { collection, params } = await loadOperation(operationId);
  const source = await loadSource(params.sourceId);
  const db = getDb();
  const target = params.targetCollection ?? collection.name;
  const store = await getVectorStore();
  const until = Date.now() + env().STEVEDORE_STEP_TIME_BUDGET_MS;
  const size = env().STEVEDORE_REMOVE_BATCH_SIZE;
  const out: RemovalProgress = { removed: 0, points: 0, remaining: true, cancelled: false };
  while (Date.now() < until || out.removed === 0) {
    const [op] = await db.select({ status: operations.status }).from(operations).where(eq(operations.id, operationId));
    if (!op || !isOperationActive(op.status)) return { ...out, cancelled: true };
    const batch = await db
      .select({ id: documents.id, chunkCount: documents.chunkCount, duplicateOf: documents.duplicateOf })
      .from(documents)
      .where(eq(documents.sourceId, source.id))
      .limit(size);
    if (batch.length === 0) return { ...out, remaining: false };
    const ids = batch.map((d) => d.id);
    await store.deleteByFilter(target, { document_id: ids });
    await releaseDuplicatesOf(ids, source.id);
    await db.delete(documents).where(inArray(documents.id, ids));
    out.removed += batch.length;
    out.points += batch.filter((d) => !d.duplicateOf).reduce((a, d) => a + d.chunkCount, 0);
    await setOperationProgress(operationId, { done: before.removed + out.removed, total: before.total, unit: "documents" });
    if (batch.length < size) return { ...out, remaining: false };
  }
  return out;
}

/** The source's documents, counted before removal starts. */
export async function countSourceDocuments(operationId: string): Promise<{ total: number }> {
  const { params } = await loadOperation(operationId);
  const source = await loadSource(params.sourceId);
  const [row] = await getDb().select({ n: sql<number>`count(*)::int` }).from(documents).where(eq(documents.sourceId, source.id));
  return { total: row!.n };
}

/** Once its documents are gone: the source itself, and the collection settled. */
export async function deleteSourceRow(operationId: string): Promise<void> {
  const { collection, params } = await loadOperation(operationId);
  if (params.sourceId) await getDb().delete(sources).where(eq(sources.id, params.sourceId));
  await settleTarget(collection.id, params.targetCollection ?? collection.name, operationId);
}

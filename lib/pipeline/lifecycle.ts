import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collectionVersions } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { documents } from "@/db/schema/documents";
import { sources } from "@/db/schema/sources";
import { operations } from "@/db/schema/operations";
import { getVectorStore } from "@/lib/vector";
import { finishOperation } from "@/lib/services/operation/progress";
import { loadOperation, loadSource } from "./context";
import { resetUnfinished } from "./coordinate";
import type { ScanResult } from "./register";

export const physicalName = (collectionName: string, version: number) => `${collectionName}__v${version}`;

/**
 * Before any document moves: the collection's live version exists in the vector store (INDEX
 * creates version 1 and points the alias at it) and the operation records where it writes.
 */
export async function prepareTarget(operationId: string): Promise<{ targetCollection: string }> {
  const { op, collection } = await loadOperation(operationId);
  const db = getDb();
  const store = await getVectorStore();
  let [active] = await db
    .select()
    .from(collectionVersions)
    .where(and(eq(collectionVersions.collectionId, collection.id), eq(collectionVersions.status, "active")));
  if (!active) {
    const name = physicalName(collection.name, 1);
    await store.createCollection(name, { dimension: collection.dimension, distance: collection.distance });
    await store.switchAlias(collection.name, name);
    [active] = await db
      .insert(collectionVersions)
      .values({ collectionId: collection.id, version: 1, physicalName: name, status: "active", activatedAt: new Date() })
      .onConflictDoUpdate({ target: [collectionVersions.collectionId, collectionVersions.version], set: { status: "active" } })
      .returning();
    await db.update(collections).set({ activeVersion: 1 }).where(eq(collections.id, collection.id));
  }
  const targetCollection = active!.physicalName;
  await db
    .update(operations)
    .set({ params: sql`${operations.params} || ${JSON.stringify({ targetCollection })}::jsonb` })
    .where(eq(operations.id, op.id));
  await db.update(collections).set({ status: "busy" }).where(eq(collections.id, collection.id));
  return { targetCollection };
}

/** End of an operation: compact the target (and index it once large), record its size, free the collection. */
async function settle(collectionId: string, target: string): Promise<number> {
  const store = await getVectorStore();
  await store.optimize(target);
  const points = await store.count(target);
  const db = getDb();
  await db.update(collectionVersions).set({ pointCount: points }).where(eq(collectionVersions.physicalName, target));
  await db.update(collections).set({ status: "ready" }).where(eq(collections.id, collectionId));
  return points;
}

export async function finishSourceOperation(operationId: string, scan: ScanResult): Promise<Record<string, number>> {
  const { collection, params } = await loadOperation(operationId);
  const counts = await getDb()
    .select({
      inserted: sql<number>`count(*) filter (where ${documents.stage} = 'complete' and ${documents.duplicateOf} is null)::int`,
      duplicate: sql<number>`count(*) filter (where ${documents.duplicateOf} is not null)::int`,
      failed: sql<number>`count(*) filter (where ${documents.stage} = 'dead')::int`,
      chunks: sql<number>`coalesce(sum(${documents.chunkCount}) filter (where ${documents.stage} = 'complete' and ${documents.duplicateOf} is null), 0)::int`,
      bytes: sql<number>`coalesce(sum(${documents.sizeBytes}), 0)::bigint`,
    })
    .from(documents)
    .where(eq(documents.operationId, operationId));
  const c = counts[0]!;
  const points = await settle(collection.id, params.targetCollection ?? collection.name);
  const result = { files: scan.files, inserted: c.inserted, unchanged: scan.unchanged, duplicate: c.duplicate, failed: c.failed, chunks: c.chunks, points };
  await finishOperation(operationId, { status: "succeeded", result, error: c.failed ? `${c.failed} document(s) could not be indexed: see Dead letters.` : undefined, metrics: { documents: c.inserted, chunks: c.chunks, vectors: c.chunks, bytes: Number(c.bytes) } });
  return result;
}

/** A cancelled INDEX/APPEND: documents not yet stored lose any points written for them. */
export async function cleanUpCancelled(operationId: string): Promise<{ reset: number }> {
  const { collection, params } = await loadOperation(operationId);
  const reset = await resetUnfinished(operationId);
  const store = await getVectorStore();
  const target = params.targetCollection ?? collection.name;
  for (let i = 0; i < reset.length; i += 500) await store.deleteByFilter(target, { document_id: reset.slice(i, i + 500) });
  await settle(collection.id, target);
  return { reset: reset.length };
}

/** REMOVE_SOURCE, one batch: points first, then the rows (chunks go with their documents). */
export async function removeSourceBatch(operationId: string): Promise<{ removed: number; points: number; remaining: boolean }> {
  const { collection, params } = await loadOperation(operationId);
  const source = await loadSource(params.sourceId);
  const db = getDb();
  const batch = await db
    .select({ id: documents.id, chunkCount: documents.chunkCount, duplicateOf: documents.duplicateOf })
    .from(documents)
    .where(eq(documents.sourceId, source.id))
    .limit(500);
  if (batch.length === 0) return { removed: 0, points: 0, remaining: false };
  const target = params.targetCollection ?? collection.name;
  await (await getVectorStore()).deleteByFilter(target, { document_id: batch.map((d) => d.id) });
  // Documents elsewhere that were skipped as copies of these are no longer duplicates of anything.
  await db.update(documents).set({ duplicateOf: null, stage: "failed", errorClass: "original_removed", errorMessage: "Its original was removed; append its source again to index it." }).where(and(sql`${documents.duplicateOf} in ${batch.map((d) => d.id)}`, sql`${documents.sourceId} <> ${source.id}`));
  await db.delete(documents).where(sql`${documents.id} in ${batch.map((d) => d.id)}`);
  const points = batch.filter((d) => !d.duplicateOf).reduce((a, d) => a + d.chunkCount, 0);
  return { removed: batch.length, points, remaining: batch.length === 500 };
}


/** Counts the source's documents (preflight) or, once they are gone, deletes the source itself. */
export async function deleteSourceRow(operationId: string, opts: { countOnly: boolean }): Promise<{ total: number }> {
  const { collection, params } = await loadOperation(operationId);
  const source = await loadSource(params.sourceId);
  const db = getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(documents).where(eq(documents.sourceId, source.id));
  if (opts.countOnly) return { total: row!.n };
  await db.delete(sources).where(eq(sources.id, source.id));
  await settle(collection.id, params.targetCollection ?? collection.name);
  return { total: 0 };
}

import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collectionVersions } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { getVectorStore } from "@/lib/vector";
import { recordAliasChange, versionSettings } from "@/lib/reindex/versions";
import { loadOperation } from "./context";

/** The vector store's lifecycle around an operation: the live version it writes to, and its settling at the end. */
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
    await store.createCollection(name, { dimension: collection.dimension, distance: collection.distance, layout: collection.vectorLayout });
    await store.switchAlias(collection.name, name);
    active = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(collectionVersions)
        .values({ collectionId: collection.id, version: 1, physicalName: name, status: "active", activatedAt: new Date(), ...versionSettings(collection) })
        .onConflictDoUpdate({ target: [collectionVersions.collectionId, collectionVersions.version], set: { status: "active" } })
        .returning();
      await tx.update(collections).set({ activeVersion: 1 }).where(eq(collections.id, collection.id));
      await recordAliasChange(tx, { collectionId: collection.id, fromVersion: null, toVersion: 1, operationId: op.id, reason: "index", actorId: op.requestedBy });
      return row;
    });
  }
  const targetCollection = active!.physicalName;
  await db
    .update(operations)
    .set({ params: sql`${operations.params} || ${JSON.stringify({ targetCollection })}::jsonb` })
    .where(eq(operations.id, op.id));
  await db.update(collections).set({ status: "busy" }).where(eq(collections.id, collection.id));
  return { targetCollection };
}

/**
 * End of an operation: compact the target (and index it once large), record its size, free the
 * collection, unless another operation than `operationId` already runs on it (a late clean-up).
 */
export async function settleTarget(collectionId: string, target: string, operationId: string): Promise<number> {
  const store = await getVectorStore();
  await store.optimize(target);
  const points = await store.count(target);
  const db = getDb();
  await db.update(collectionVersions).set({ pointCount: points }).where(eq(collectionVersions.physicalName, target));
  await db
    .update(collections)
    .set({ status: "ready" })
    .where(and(eq(collections.id, collectionId), sql`not exists (select 1 from operations o where o.collection_id = ${collectionId} and o.id <> ${operationId} and o.status = 'running')`));
  return points;
}

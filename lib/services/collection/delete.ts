import fs from "node:fs/promises";
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { collectionVersions } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { sources } from "@/db/schema/sources";
import { dataPath } from "@/lib/env";
import { getLogger } from "@/lib/observability/logger";
import { ACTIVE_OPERATION_STATUSES } from "@/lib/operation-status";
import { getVectorStore } from "@/lib/vector";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, notFound, ServiceError } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";

export const DeleteCollectionInput = z.object({
  collectionId: z.uuid({ message: "Unknown collection." }),
  confirmName: z.string({ message: "Type the collection's name to confirm." }).trim().min(1, "Type the collection's name to confirm."),
});

/**
 * Deletes a collection (admin): its versions' points and aliases, its documents and sources, its
 * uploaded files. Refused while one of its operations is active. The row is marked `deleting`
 * first and removed last, so a failure half-way leaves a collection that says so and can be
 * deleted again; its operations stay in the job history.
 */
export async function deleteCollection({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "collection.delete", "collection.delete", input);
  const data = await parseInput(ctx, "collection.delete", DeleteCollectionInput, input);
  const plan = await withTransaction(ctx, "collection.delete", async (tx) => {
    const [collection] = await tx.select().from(collections).where(eq(collections.id, data.collectionId)).for("update");
    if (!collection) throw notFound("Collection");
    if (collection.name !== data.confirmName) {
      throw new ServiceError("invalid", "Type the collection's name exactly to confirm.", { confirmName: [`Type “${collection.name}” to confirm.`] });
    }
    const [active] = await tx
      .select({ id: operations.id, type: operations.type })
      .from(operations)
      .where(and(eq(operations.collectionId, collection.id), inArray(operations.status, ACTIVE_OPERATION_STATUSES)))
      .limit(1);
    if (active) throw conflict(`A ${active.type} operation (${active.id.slice(0, 8)}) is still active on this collection: cancel it or wait for it to finish.`);
    const versions = await tx.select({ physicalName: collectionVersions.physicalName }).from(collectionVersions).where(eq(collectionVersions.collectionId, collection.id));
    const uploads = await tx.select({ path: sources.path }).from(sources).where(and(eq(sources.collectionId, collection.id), eq(sources.kind, "upload")));
    const [{ n: documentCount }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(documents).where(eq(documents.collectionId, collection.id))) as [{ n: number }];
    await tx.update(collections).set({ status: "deleting" }).where(eq(collections.id, collection.id));
    await emitAudit(tx, ctx, {
      action: "collection.delete",
      target: { type: "collection", id: collection.id },
      params: { name: collection.name, versions: versions.map((v) => v.physicalName), documents: documentCount, uploadSources: uploads.length },
    });
    return { collection, versions: versions.map((v) => v.physicalName), uploads: uploads.map((u) => u.path), documentCount };
  });

  try {
    const store = await getVectorStore();
    await store.deleteAlias(plan.collection.name);
    for (const name of plan.versions) await store.dropCollection(name);
    // Only folders the console made under its own data dir; a server folder source is never touched.
    const uploadsRoot = dataPath("uploads");
    for (const folder of plan.uploads) {
      if (path.dirname(path.resolve(folder)) === uploadsRoot) await fs.rm(folder, { recursive: true, force: true });
    }
    // Documents, their texts and history, sources and versions go with the row (foreign keys cascade).
    await getDb().delete(collections).where(eq(collections.id, plan.collection.id));
  } catch (err) {
    getLogger().error({ err, collectionId: plan.collection.id, correlationId: ctx.correlationId }, "deleting a collection failed half-way");
    throw new ServiceError("unavailable", `The collection could not be deleted completely; it is marked “deleting”. Try again (reference ${ctx.correlationId}).`);
  }
  return { collectionId: plan.collection.id, name: plan.collection.name, documents: plan.documentCount, versions: plan.versions.length };
}

import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { aliasChanges, collectionVersions } from "@/db/schema/collection-versions";
import { can } from "@/lib/auth/rbac";
import { rollbackRequested } from "@/inngest/events";
import { orphanVersions } from "@/lib/reindex/cleanup";
import { activeVersionOf, dropVersion } from "@/lib/reindex/versions";
import { refuseBeyondLimits } from "@/lib/resources/check";
import { getVectorStore } from "@/lib/vector";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, forbidden, notFound } from "../errors";
import { startOperation } from "../operation/start";
import { authorize, parseInput, parseReadInput, withTransaction } from "../verb";
import { findCollection } from "../collection/find";

const CollectionInput = z.object({ collectionId: z.uuid() });

/** The collection's versions, its alias history (newest first) and the versions listed for deletion. */
export async function listVersions({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  const { collectionId } = parseReadInput(CollectionInput, input);
  await findCollection(collectionId);
  const db = getDb();
  const [versions, history, orphans] = await Promise.all([
    db.select().from(collectionVersions).where(eq(collectionVersions.collectionId, collectionId)).orderBy(desc(collectionVersions.version)),
    db.select().from(aliasChanges).where(eq(aliasChanges.collectionId, collectionId)).orderBy(desc(aliasChanges.at)).limit(200),
    orphanVersions(collectionId),
  ]);
  // The version rollBackCollection goes back to: the one the last switch retired.
  const now = Date.now();
  const rollbackTo = versions
    .filter((v) => v.status === "retired" && v.retiredAt && (v.keep || (v.deleteAfter?.getTime() ?? 0) > now))
    .sort((a, b) => b.retiredAt!.getTime() - a.retiredAt!.getTime())[0];
  return { versions, history, orphans, rollbackTo: rollbackTo ? { versionId: rollbackTo.id, version: rollbackTo.version, deleteAfter: rollbackTo.deleteAfter } : null };
}

export const RollbackInput = CollectionInput.extend({ toVersionId: z.uuid().optional() });

/** ROLLBACK (`POST /api/v1/collections/:id/rollback`): back to the version the last switch retired, if it is still kept. */
export async function rollBackCollection({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "collection.rollback", input);
  const { collectionId, toVersionId } = await parseInput(ctx, "collection.rollback", RollbackInput, input);
  const operation = await startOperation(ctx, {
    type: "ROLLBACK",
    action: "collection.rollback",
    collectionId,
    event: { name: rollbackRequested.name },
    inTransaction: async (tx) => {
      const collection = await findCollection(collectionId, tx);
      const [target] = await tx
        .select()
        .from(collectionVersions)
        .where(and(eq(collectionVersions.collectionId, collectionId), eq(collectionVersions.status, "retired"), sql`(${collectionVersions.keep} or ${collectionVersions.deleteAfter} > now())`))
        .orderBy(desc(collectionVersions.retiredAt))
        .limit(1);
      if (!target) throw conflict("No earlier version is kept for a rollback (its rollback window ended, or nothing was reindexed).");
      // The version the operator confirmed (the page's "Roll back to version N"), if named, must still be the one.
      if (toVersionId && toVersionId !== target.id) throw conflict(`The version to roll back to is now version ${target.version}: reload the page and check before rolling back.`);
      await refuseBeyondLimits(tx, ctx.actor, { points: { collection, name: collection.name, total: target.pointCount, advice: "Ask an admin to raise the limit, or to roll back." } });
      const live = await activeVersionOf(collectionId, tx);
      await emitAudit(tx, ctx, { action: "collection.rollback", target: { type: "collection", id: collectionId }, params: { collection: collection.name, fromVersion: live?.version ?? null, toVersion: target.version } });
      return { params: { toVersionId: target.id, toVersion: target.version, fromVersion: live?.version ?? null, collection: collection.name } };
    },
  });
  return { operationId: operation.id };
}

const VersionInput = z.object({ collectionId: z.uuid(), versionId: z.uuid({ message: "Unknown version." }) });
export const KeepVersionInput = VersionInput.extend({ keep: z.boolean().default(true) });

/** "Keep": a retired version stays past its rollback window (its clean-up does nothing); "keep": false lets it go at the window's end. */
export async function keepVersion({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "version.keep", input);
  const data = await parseInput(ctx, "version.keep", KeepVersionInput, input);
  return withTransaction(ctx, "version.keep", async (tx) => {
    const [version] = await tx
      .update(collectionVersions)
      .set({ keep: data.keep })
      .where(and(eq(collectionVersions.id, data.versionId), eq(collectionVersions.collectionId, data.collectionId), eq(collectionVersions.status, "retired")))
      .returning();
    if (!version) throw conflict("Only a retired version kept for rollback can be kept.");
    await emitAudit(tx, ctx, { action: "version.keep", target: { type: "collection_version", id: version.id }, params: { version: version.version, keep: data.keep } });
    return { version: version.version, keep: version.keep };
  });
}

/**
 * Deletes a version that is not live (admins): one listed for deletion, or a retired one before
 * its window ends. A physical collection no version names is deleted by its name.
 */
export async function deleteVersion({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "collection.delete", "version.delete", input);
  const data = await parseInput(ctx, "version.delete", z.object({ collectionId: z.uuid(), versionId: z.uuid().optional(), physicalName: z.string().optional() }), input);
  // In withTransaction so a refusal (the live version, one being built, an unknown one) is audited
  // too; the transaction holds only the audit entry, the drop is the store's and cannot roll back.
  return withTransaction(ctx, "version.delete", async (tx) => {
    const collection = await findCollection(data.collectionId, tx);
    if (data.versionId) {
      const [version] = await tx.select().from(collectionVersions).where(and(eq(collectionVersions.id, data.versionId), eq(collectionVersions.collectionId, collection.id)));
      if (!version) throw notFound("Version");
      const orphan = (await orphanVersions(collection.id)).some((o) => o.versionId === version.id);
      if (version.status === "active" || (version.status === "staging" && !orphan)) throw conflict(version.status === "active" ? "The live version cannot be deleted." : "A reindex is building this version: cancel the reindex instead.");
      await dropVersion(version.id, version.status === "staging" ? "failed" : "deleted", [version.status]);
      await emitAudit(tx, ctx, { action: "version.delete", target: { type: "collection_version", id: version.id }, params: { collection: collection.name, version: version.version, was: version.status } });
      return { deleted: version.physicalName };
    }
    const orphan = (await orphanVersions(collection.id)).find((o) => o.versionId === null && o.physicalName === data.physicalName);
    if (!orphan) throw notFound("Version");
    await (await getVectorStore()).dropCollection(orphan.physicalName);
    await emitAudit(tx, ctx, { action: "version.delete", target: { type: "collection", id: collection.id }, params: { collection: collection.name, physicalName: orphan.physicalName, was: "unnamed" } });
    return { deleted: orphan.physicalName };
  });
}

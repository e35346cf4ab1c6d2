import { and, eq, inArray, isNull, lt, notExists, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collectionVersions, type CollectionVersion } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { ACTIVE_OPERATION_STATUSES } from "@/lib/operation-status";
import { emitAudit } from "@/lib/services/audit/emit";
import { systemContext } from "@/lib/services/context";
import { getVectorStore } from "@/lib/vector";
import { dropVersion } from "./versions";

/** The rollback window ended: drop the version if it is still retired, not kept, and due. */
export async function dropRetiredVersion(versionId: string): Promise<{ dropped: boolean }> {
  const dropped = await dropVersion(versionId, "deleted", ["retired"], { dueOnly: true });
  if (dropped) await emitAudit(getDb(), systemContext(), { action: "version.delete", target: { type: "collection_version", id: versionId }, params: { reason: "the rollback window ended" } });
  return { dropped };
}

export type OrphanVersion = { versionId: string | null; physicalName: string; version: number | null; status: string; reason: string };

/**
 * Versions nothing holds any more, to be listed for deletion: a staging version whose reindex is
 * not under way, a retired one past its window and not kept (its clean-up did not run), a failed or
 * deleted one still in the store, and a physical collection of this collection's name pattern that
 * no version row names at all.
 */
export async function orphanVersions(collectionId: string): Promise<OrphanVersion[]> {
  const db = getDb();
  const [collection] = await db.select().from(collections).where(eq(collections.id, collectionId));
  if (!collection) return [];
  const versions = await db.select().from(collectionVersions).where(eq(collectionVersions.collectionId, collectionId));
  const store = await getVectorStore();
  const physical = new Set((await store.listCollections()).filter((n) => n.startsWith(`${collection.name}__v`)));
  const stuckStaging = await db
    .select({ id: collectionVersions.id })
    .from(collectionVersions)
    .where(
      and(
        eq(collectionVersions.collectionId, collectionId),
        eq(collectionVersions.status, "staging"),
        or(
          isNull(collectionVersions.operationId),
          notExists(db.select({ one: sql`1` }).from(operations).where(and(eq(operations.id, collectionVersions.operationId), inArray(operations.status, ACTIVE_OPERATION_STATUSES)))),
        ),
      ),
    );
  const stuck = new Set(stuckStaging.map((r) => r.id));
  const overdue = await db
    .select({ id: collectionVersions.id })
    .from(collectionVersions)
    .where(and(eq(collectionVersions.collectionId, collectionId), eq(collectionVersions.status, "retired"), eq(collectionVersions.keep, false), lt(collectionVersions.deleteAfter, sql`now() - interval '10 minutes'`)));
  const late = new Set(overdue.map((r) => r.id));
  const out: OrphanVersion[] = [];
  const named = new Set<string>();
  for (const v of versions) {
    named.add(v.physicalName);
    const reason = orphanReason(v, stuck.has(v.id), late.has(v.id), physical.has(v.physicalName));
    if (reason) out.push({ versionId: v.id, physicalName: v.physicalName, version: v.version, status: v.status, reason });
  }
  for (const name of physical) if (!named.has(name)) out.push({ versionId: null, physicalName: name, version: null, status: "unknown", reason: "in the vector store, but no version of this collection names it" });
  return out;
}

function orphanReason(v: CollectionVersion, stuckStaging: boolean, overdue: boolean, inStore: boolean): string | null {
  if (stuckStaging) return "staging, but no reindex is building it";
  if (overdue) return "retired, past its rollback window, and its clean-up has not run";
  if ((v.status === "failed" || v.status === "deleted") && inStore) return `${v.status}, but still in the vector store`;
  return null;
}

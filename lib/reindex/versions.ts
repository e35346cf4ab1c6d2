import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { aliasChanges, collectionVersions, versionDocuments, type CollectionVersion } from "@/db/schema/collection-versions";
import { collections, type Collection } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { users } from "@/db/schema/users";
import { isOperationActive } from "@/lib/operation-status";
import { PermanentError } from "@/lib/pipeline/errors";
import { getVectorStore } from "@/lib/vector";

/** The settings a version's points are made with. */
export type VersionSettings = Pick<Collection, "embeddingModel" | "dimension" | "distance" | "chunkSize" | "chunkOverlap">;

export const versionSettings = (c: VersionSettings): VersionSettings => ({
  embeddingModel: c.embeddingModel,
  dimension: c.dimension,
  distance: c.distance,
  chunkSize: c.chunkSize,
  chunkOverlap: c.chunkOverlap,
});

export async function recordAliasChange(
  tx: Executor,
  change: { collectionId: string; fromVersion: number | null; toVersion: number; operationId: string | null; reason: "index" | "reindex" | "rollback" | "restore"; actorId: string | null },
): Promise<void> {
  const [actor] = change.actorId ? await tx.select({ email: users.email }).from(users).where(eq(users.id, change.actorId)) : [];
  await tx.insert(aliasChanges).values({ ...change, actorLabel: actor?.email ?? "system" });
}

/** The number a new version of the collection takes: one past the highest it ever had (retired and deleted ones included, as their numbers stay taken). */
export async function nextVersionNumber(collectionId: string): Promise<number> {
  const [last] = await getDb().select({ version: collectionVersions.version }).from(collectionVersions).where(eq(collectionVersions.collectionId, collectionId)).orderBy(desc(collectionVersions.version)).limit(1);
  return (last?.version ?? 0) + 1;
}

/** The version searches read: the active one, with the settings to embed a query as its points were. */
export async function activeVersionOf(collectionId: string, db: Executor = getDb()): Promise<CollectionVersion | null> {
  const [row] = await db
    .select()
    .from(collectionVersions)
    .where(and(eq(collectionVersions.collectionId, collectionId), eq(collectionVersions.status, "active")));
  return row ?? null;
}

/**
 * Moves the collection to `toVersionId`, in one PostgreSQL transaction that holds the collection
 * and the version: the versions' statuses, the collection's settings, the documents' chunk counts,
 * the alias history, and, before it commits, the vector store's alias (atomic there). The leaving
 * version's chunk counts are copied to version_documents (for a rollback) before it (or earlier,
 * see `liveCountsKept`), and the arriving version's rows are cleared after it: the caller holds the
 * collection's turn, so no count changes meanwhile, and the transaction searches wait beside stays short. Searches resolve the active version
 * in PostgreSQL and search its physical collection, and both versions exist throughout, so a search
 * sees the old version or the new, never neither. A retried switch finds the target active and
 * changes nothing. The target must still be what the switch expects (staging for a reindex,
 * retired for a rollback): a version its clean-up took meanwhile is refused.
 */
export async function switchToVersion(opts: {
  collectionId: string;
  toVersionId: string;
  operationId: string;
  actorId: string | null;
  /** A reindex or a replace-restore switches to its staging version, a rollback to a retired one. */
  reason: "reindex" | "rollback" | "restore";
  rollbackWindowHours: number;
  /**
   * keepLiveChunkCounts already ran for this target (a reindex does it at the end of validation:
   * copying 50,000 documents' counts took 0.8 s of a 1.4 s switch, while searches ran beside it).
   */
  liveCountsKept?: boolean;
}): Promise<SwitchResult> {
  const store = await getVectorStore();
  if (!opts.liveCountsKept) await keepLiveChunkCounts(opts.collectionId, opts.toVersionId);
  const switched = await getDb().transaction(async (tx): Promise<SwitchResult> => {
    // The operation first, as cancelling takes it: a cancel that came first stops the switch, and
    // one that comes after finds the alias change and is refused (see cancelOperation).
    const [op] = await tx.select({ status: operations.status }).from(operations).where(eq(operations.id, opts.operationId)).for("update");
    if (!op || !isOperationActive(op.status)) throw new PermanentError("The operation was cancelled before its switch; the alias did not move.");
    const [collection] = await tx.select().from(collections).where(eq(collections.id, opts.collectionId)).for("update");
    const [to] = await tx.select().from(collectionVersions).where(eq(collectionVersions.id, opts.toVersionId)).for("update");
    if (!to || !collection) throw new VersionGoneError("The version or its collection no longer exists.");
    if (to.status === "active") return alreadySwitched(tx, opts.operationId, to.version);
    if (to.status !== (opts.reason === "rollback" ? "retired" : "staging")) throw new VersionGoneError(`Version ${to.version} is ${to.status}; it cannot be switched to.`);
    const from = await activeVersionOf(opts.collectionId, tx);
    let retired: SwitchResult["retired"] = null;
    if (from) {
      const [left] = await tx
        .update(collectionVersions)
        .set({ status: "retired", retiredAt: new Date(), keep: false, deleteAfter: sql`now() + ${opts.rollbackWindowHours} * interval '1 hour'` })
        .where(eq(collectionVersions.id, from.id))
        .returning();
      retired = retiredOf(left);
    }
    await tx.execute(sql`
      update documents d set chunk_count = vd.chunk_count from version_documents vd
      where vd.version_id = ${to.id} and vd.document_id = d.id and d.chunk_count <> vd.chunk_count`);
    await tx.update(collectionVersions).set({ status: "active", activatedAt: new Date(), deleteAfter: null, retiredAt: null }).where(eq(collectionVersions.id, to.id));
    await tx
      .update(collections)
      .set({ activeVersion: to.version, ...versionSettings(to) })
      .where(eq(collections.id, opts.collectionId));
    await recordAliasChange(tx, { collectionId: opts.collectionId, fromVersion: from?.version ?? null, toVersion: to.version, operationId: opts.operationId, reason: opts.reason, actorId: opts.actorId });
    // Last, so a failure above leaves the alias where it was; if the commit fails after it, the
    // alias is ahead of PostgreSQL until the retried step moves both (searches follow PostgreSQL).
    const started = performance.now();
    await store.switchAlias(collection.name, to.physicalName);
    return { fromVersion: from?.version ?? null, toVersion: to.version, aliasMs: performance.now() - started, retired };
  });
  // The active version's counts live on the documents now; a crash before this leaves rows the next switch overwrites.
  await getDb().delete(versionDocuments).where(eq(versionDocuments.versionId, opts.toVersionId));
  return switched;
}

/**
 * The active version's chunk counts into version_documents, for a rollback to it; none when
 * `toVersionId` is already active (a retried switch). Run ahead of the switch only by an operation
 * holding the collection's turn, so no count changes in between (idempotent: a repeat overwrites).
 */
export async function keepLiveChunkCounts(collectionId: string, toVersionId: string): Promise<void> {
  await getDb().execute(sql`
    insert into version_documents (version_id, document_id, chunk_count)
    select v.id, d.id, d.chunk_count from documents d
    join collection_versions v on v.collection_id = d.collection_id and v.status = 'active' and v.id <> ${toVersionId}
    where d.collection_id = ${collectionId} and d.stage = 'complete' and d.duplicate_of is null
    on conflict (version_id, document_id) do update set chunk_count = excluded.chunk_count`);
}

/** What a switch did: versions, the alias move's time, and the version it retired (kept for rollback until deleteAfter). */
export type SwitchResult = { fromVersion: number | null; toVersion: number; aliasMs: number; retired: { versionId: string; version: number; deleteAfter: string } | null };

const retiredOf = (v: CollectionVersion | undefined): SwitchResult["retired"] => (v?.deleteAfter ? { versionId: v.id, version: v.version, deleteAfter: v.deleteAfter.toISOString() } : null);

/** A retried switch step whose first attempt committed: the same answer, from the alias change it recorded. */
async function alreadySwitched(tx: Executor, operationId: string, toVersion: number): Promise<SwitchResult> {
  const [change] = await tx.select().from(aliasChanges).where(eq(aliasChanges.operationId, operationId)).limit(1);
  const [left] = change?.fromVersion
    ? await tx.select().from(collectionVersions).where(and(eq(collectionVersions.collectionId, change.collectionId), eq(collectionVersions.version, change.fromVersion), eq(collectionVersions.status, "retired")))
    : [];
  return { fromVersion: change?.fromVersion ?? null, toVersion, aliasMs: 0, retired: retiredOf(left) };
}

/** The version to switch to is gone or in a state no switch may take it from: permanent. */
export class VersionGoneError extends PermanentError {}

/**
 * Gives a version up: marks it (`failed`: a staging version abandoned; `deleted`: a retired one
 * cleaned up) if it is still in one of `from`, then drops its physical collection. Marking first,
 * under the row's lock, means a rollback that switches to it first wins and it is kept. Returns
 * whether it was dropped; a repeated call drops again (a no-op in the store), so a crash between
 * the mark and the drop leaves nothing behind.
 */
export async function dropVersion(versionId: string, status: "failed" | "deleted", from: CollectionVersion["status"][], opts: { dueOnly?: boolean } = {}): Promise<boolean> {
  const db = getDb();
  const [version] = await db
    .update(collectionVersions)
    .set({ status, deleteAfter: null, cursor: null })
    .where(
      and(
        eq(collectionVersions.id, versionId),
        inArray(collectionVersions.status, [...from, status]),
        opts.dueOnly ? sql`not ${collectionVersions.keep} and (${collectionVersions.status} = ${status} or ${collectionVersions.deleteAfter} <= now())` : undefined,
      ),
    )
    .returning();
  if (!version) return false;
  await (await getVectorStore()).dropCollection(version.physicalName);
  await db.delete(versionDocuments).where(eq(versionDocuments.versionId, versionId));
  return true;
}

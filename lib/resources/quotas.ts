import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { roleQuotas, type RoleQuota } from "@/db/schema/quotas";
import type { Role } from "@/db/schema/users";
import { formatCount } from "@/lib/format";
import { ACTIVE_OPERATION_STATUSES } from "@/lib/operation-status";
import type { Actor } from "@/lib/services/context";

export type Limits = Pick<RoleQuota, "maxConcurrentOperations" | "maxPointsPerCollection" | "maxCollections">;

/** A role without a row in role_quotas has no limits. */
export const NO_LIMITS: Limits = { maxConcurrentOperations: null, maxPointsPerCollection: null, maxCollections: null };

export async function limitsOf(db: Executor, role: Role | null): Promise<Limits> {
  if (!role) return NO_LIMITS;
  const [row] = await db
    .select({ maxConcurrentOperations: roleQuotas.maxConcurrentOperations, maxPointsPerCollection: roleQuotas.maxPointsPerCollection, maxCollections: roleQuotas.maxCollections })
    .from(roleQuotas)
    .where(eq(roleQuotas.role, role));
  return row ?? NO_LIMITS;
}

/**
 * Serializes one user's quota checks with the operation or collection they let through, until the
 * transaction ends, so two requests at once cannot both pass on the same count. A token counts as
 * its owner; the system actor (no user) is one user of its own.
 */
export async function lockUserQuota(tx: Executor, actor: Actor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('stevedore.quota'), hashtext(${actor.id ?? "system"}))`);
}

/** Points a collection holds: its complete documents' chunks, copies not counted (as its page shows them). */
export async function collectionPoints(db: Executor, collectionId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<string>`coalesce(sum(${documents.chunkCount}), 0)` })
    .from(documents)
    .where(and(eq(documents.collectionId, collectionId), eq(documents.stage, "complete"), isNull(documents.duplicateOf)));
  return Number(row?.n ?? 0);
}

/**
 * The points check of an operation on a collection: by its id (its points are counted here), by
 * its points as the caller counted them, or null for one the operation creates. The operation adds
 * `add` points, or leaves `total` (a reindex, a rollback); `advice` ends the refusal.
 */
export type PointsCheck = { collection: { id: string } | { points: number } | null; name?: string; add?: number; total?: number; advice: string };

/**
 * Which limits of the actor's role to check: operations under way, collections created (`except`
 * the one being created, when its row is already in the transaction), a collection's points.
 */
export type QuotaCheck = { operations?: boolean; collections?: boolean | { except: string }; points?: PointsCheck };

const mine = (column: AnyPgColumn, actor: Actor) => (actor.id ? eq(column, actor.id) : isNull(column));
const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * The actor's role's limits that `check` would pass, each as a sentence naming the limit, the role,
 * the current value and by how much it is over; empty when everything fits. Authoritative only in
 * the transaction that then starts the operation, after {@link lockUserQuota}.
 */
export async function quotaRefusals(db: Executor, actor: Actor, check: QuotaCheck): Promise<string[]> {
  const limits = await limitsOf(db, actor.role);
  const role = actor.role;
  const refusals: string[] = [];
  const max = limits.maxConcurrentOperations;
  if (check.operations && max !== null) {
    const [{ n }] = (await db
      .select({ n: sql<number>`count(*)::int` })
      .from(operations)
      .where(and(mine(operations.requestedBy, actor), inArray(operations.status, ACTIVE_OPERATION_STATUSES)))) as [{ n: number }];
    if (max === 0) refusals.push(`Your role (${role}) may not have operations under way: its limit is 0. Ask an admin to raise the limit.`);
    else if (n >= max) refusals.push(`Your role (${role}) may have at most ${plural(max, "operation")} under way; you have ${formatCount(n)}. Wait for one to finish, or ask an admin to raise the limit.`);
  }
  const maxCollections = limits.maxCollections;
  if (check.collections && maxCollections !== null) {
    const [{ n }] = (await db
      .select({ n: sql<number>`count(*)::int` })
      .from(collections)
      .where(and(mine(collections.createdBy, actor), ne(collections.status, "deleting"), typeof check.collections === "object" ? ne(collections.id, check.collections.except) : undefined))) as [{ n: number }];
    if (maxCollections === 0) refusals.push(`Your role (${role}) may not create collections: its limit is 0. Ask an admin to raise the limit.`);
    else if (n >= maxCollections) refusals.push(`Your role (${role}) may have at most ${plural(maxCollections, "collection")}; you have created ${formatCount(n)}. Ask an admin to delete one or to raise the limit.`);
  }
  const maxPoints = limits.maxPointsPerCollection;
  if (check.points && maxPoints !== null) {
    const { collection, name, add = 0, total, advice } = check.points;
    const current = !collection ? 0 : "id" in collection ? await collectionPoints(db, collection.id) : collection.points;
    const after = total ?? current + add;
    // An operation that does not grow the collection is never refused, even one over a lowered limit.
    if (after > maxPoints && after > current) {
      const leaves = collection
        ? `this would leave ${name ? `“${name}”` : "the collection"} with about ${plural(after, "point")} (it has ${formatCount(current)})`
        : `the new collection ${name ? `“${name}” ` : ""}would hold about ${plural(after, "point")}`;
      refusals.push(`Your role (${role}) may have at most ${plural(maxPoints, "point")} in a collection; ${leaves}, ${formatCount(after - maxPoints)} over the limit. ${advice}`);
    }
  }
  return refusals;
}

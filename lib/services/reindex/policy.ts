import { eq } from "drizzle-orm";
import { z } from "zod";
import { collections, type ReindexPolicy } from "@/db/schema/collections";
import { can } from "@/lib/auth/rbac";
import { DEFAULT_POLICY, resolvePolicy, type ResolvedPolicy } from "@/lib/reindex/policy";
import { emitAudit } from "../audit/emit";
import { findCollection } from "../collection/find";
import type { ServiceContext } from "../context";
import { forbidden, notFound, ServiceError } from "../errors";
import { authorize, parseInput, parseReadInput, withTransaction } from "../verb";

export const POLICY_FIELDS = ["countTolerance", "minOverlap", "minRecall", "maxScoreDrift", "approvalTimeoutHours", "rollbackWindowHours", "distinctApprover"] as const satisfies readonly (keyof ResolvedPolicy)[];
export type PolicyField = (typeof POLICY_FIELDS)[number];

// null sets a field back to its default; a field left out stays as it is.
const share = z.number().min(0, { message: "From 0 to 1 (0.3 is 30 %)." }).max(1, { message: "From 0 to 1 (0.3 is 30 %)." }).nullable().optional();
const hours = z.number().int({ message: "Whole hours." }).min(1, { message: "From 1 to 720 hours (30 days)." }).max(720, { message: "From 1 to 720 hours (30 days)." }).nullable().optional();

export const PolicyInput = z.strictObject({
  collectionId: z.uuid(),
  countTolerance: share,
  minOverlap: share,
  minRecall: share,
  maxScoreDrift: share,
  approvalTimeoutHours: hours,
  rollbackWindowHours: hours,
  distinctApprover: z.boolean().nullable().optional(),
});

/** The policy a reindex of the collection follows, the defaults, and which fields are the default. */
export function describePolicy(stored: ReindexPolicy | null | undefined) {
  const own = stored ?? {};
  return {
    policy: resolvePolicy(own),
    defaults: DEFAULT_POLICY,
    defaulted: POLICY_FIELDS.filter((f) => own[f] === undefined || own[f] === null),
  };
}

export async function getReindexPolicy({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  const { collectionId } = parseReadInput(z.object({ collectionId: z.uuid() }), input);
  return describePolicy((await findCollection(collectionId)).reindexPolicy);
}

/**
 * A collection's reindex policy (admins): validation thresholds, approval timeout, rollback
 * window, distinct approver. A reindex under way reads it at its next checkpoint. Audited
 * `collection.update_policy` with the stored policy before and after.
 */
export async function updateReindexPolicy({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "collection.configure", "collection.update_policy", input);
  const { collectionId, ...changes } = await parseInput(ctx, "collection.update_policy", PolicyInput, input);
  const given = POLICY_FIELDS.filter((f) => changes[f] !== undefined);
  if (!given.length) throw new ServiceError("invalid", "Give at least one setting to change.", { _form: [`Give at least one of ${POLICY_FIELDS.join(", ")}.`] });
  return withTransaction(ctx, "collection.update_policy", async (tx) => {
    const [collection] = await tx.select().from(collections).where(eq(collections.id, collectionId)).for("update");
    if (!collection) throw notFound("Collection");
    const old: ReindexPolicy = collection.reindexPolicy ?? {};
    const next: Record<string, number | boolean> = {};
    for (const field of POLICY_FIELDS) {
      const value = changes[field] === undefined ? old[field] : changes[field];
      if (value !== undefined && value !== null) next[field] = value;
    }
    await tx.update(collections).set({ reindexPolicy: next }).where(eq(collections.id, collection.id));
    await emitAudit(tx, ctx, { action: "collection.update_policy", target: { type: "collection", id: collection.id }, params: { collection: collection.name, old, new: next } });
    return describePolicy(next);
  });
}


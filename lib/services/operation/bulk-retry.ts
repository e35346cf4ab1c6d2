import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { operations, type Operation } from "@/db/schema/operations";
import { getLogger } from "@/lib/observability/logger";
import { REJECTED } from "@/lib/operation-status";
import { emitAudit } from "../audit/emit";
import { appendSource } from "../collection/append";
import { removeSource } from "../collection/remove-source";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { startReindex } from "../reindex/start";
import { rollBackCollection } from "../reindex/versions";
import { authorize, parseInput, withTransaction } from "../verb";
import { BulkInput, bump, selectionConditions, selectionOf, tally, type Skipped } from "./bulk";
import { startSelfTest } from "./start-self-test";

/** Each retry is a new operation with its own checks and quota: at most this many per request. */
export const MAX_BULK_RETRY = 1000;

type Candidate = Pick<Operation, "id" | "type" | "collectionId" | "params" | "result"> & { retried: boolean };
type Start = (ctx: ServiceContext) => Promise<{ id: string } | { operationId: string }>;
/** How a failed operation is retried through its own start verb (same type, same parameters), or why it is not. */
export type RetryPlan = { start: Start } | { skip: string };

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

export function retryPlanOf(op: Candidate): RetryPlan {
  if (op.retried) return { skip: "already retried" };
  const p = op.params;
  const needsCollection = op.type !== "SELF_TEST";
  if (needsCollection && !op.collectionId) return { skip: "its collection was deleted" };
  const collectionId = op.collectionId!;
  switch (op.type) {
    case "SELF_TEST":
      return { start: (ctx) => startSelfTest({ ctx }) };
    case "APPEND":
      if (p.retry === true) return { skip: "a dead-letter retry: retry its documents from the collection's Dead letters tab" };
      if (!text(p.sourceId)) return { skip: "its parameters do not name the source" };
      return { start: (ctx) => appendSource({ ctx, input: { collectionId, sourceId: p.sourceId } }) };
    case "REMOVE_SOURCE":
      if (!text(p.sourceId) || !text(p.source)) return { skip: "its parameters do not name the source" };
      return { start: (ctx) => removeSource({ ctx, input: { collectionId, sourceId: p.sourceId, confirmName: p.source } }) };
    case "REINDEX": {
      if (op.result?.outcome === REJECTED) return { skip: "rejected by an approver" };
      const settings = (p.settings ?? {}) as Record<string, unknown>;
      if (!text(p.collection)) return { skip: "its parameters do not name the collection" };
      const input = {
        collectionId,
        settings: { embeddingModel: settings.embeddingModel, chunkSize: settings.chunkSize, chunkOverlap: settings.chunkOverlap, distance: settings.distance },
        requireApproval: p.requireApproval === true,
        throttleDocsPerS: typeof p.throttleDocsPerS === "number" ? p.throttleDocsPerS : null,
        confirm: p.collection,
      };
      return { start: (ctx) => startReindex({ ctx, input }) };
    }
    case "ROLLBACK":
      return { start: (ctx) => rollBackCollection({ ctx, input: { collectionId, toVersionId: text(p.toVersionId) } }) };
    case "INDEX":
      return { skip: "an INDEX created its collection: append its source again from the Sources tab" };
    default:
      return { skip: `${op.type} has no retry yet: start it again from its page` };
  }
}

/** The failed operations of the selection, newest first, up to one past the cap (so "too many" is known). */
async function candidatesOf(input: BulkInput): Promise<Candidate[]> {
  // Spelled out: drizzle may render a column of the outer table unqualified, which the subquery would take as its own.
  const retried = sql<boolean>`exists (select 1 from operations r where (r.params->>'retryOf') = "operations"."id"::text)`;
  return getDb()
    .select({ id: operations.id, type: operations.type, collectionId: operations.collectionId, params: operations.params, result: operations.result, retried })
    .from(operations)
    .where(and(...(await selectionConditions(input)), eq(operations.status, "failed")))
    .orderBy(desc(operations.createdAt), desc(operations.id))
    .limit(MAX_BULK_RETRY + 1);
}

export type BulkRetrySummary = {
  dryRun: boolean;
  /** Failed operations in the selection. */
  matched: number;
  /** Retried (started), or for a dry run those that would be. */
  retried: number;
  /** Not retried, by reason: already retried, a type that cannot be, ... */
  skipped: Skipped[];
  /** Retries whose start was refused (a quota, the disk, a conflict), by the refusal. */
  refused: Skipped[];
  started: { retryOf: string; operationId: string }[];
};

/**
 * Bulk "retry failed" (`POST /api/v1/operations/bulk-retry`): each failed operation of the
 * selection starts again through its type's own start verb, with the same parameters, and the
 * new operation's params carry `retryOf`. Each start is its own transaction (and audit entry);
 * the bulk action's one `operation.bulk-retry` entry records the selection and the counts.
 */
export async function bulkRetryOperations({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<BulkRetrySummary> {
  await authorize(ctx, "operation.start", "operation.bulk-retry", input);
  const data = await parseInput(ctx, "operation.bulk-retry", BulkInput, input);
  const candidates = await candidatesOf(data);
  if (candidates.length > MAX_BULK_RETRY) throw new ServiceError("invalid", `More than ${MAX_BULK_RETRY} failed operations match; retry at most ${MAX_BULK_RETRY} at a time (narrow the filter).`);
  const skipped = new Map<string, number>();
  const plans: { op: Candidate; start: Start }[] = [];
  for (const op of candidates) {
    const plan = retryPlanOf(op);
    if ("skip" in plan) bump(skipped, plan.skip);
    else plans.push({ op, start: plan.start });
  }
  const summary = { matched: candidates.length, skipped: tally(skipped) };
  if (data.dryRun) return { dryRun: true, ...summary, retried: plans.length, refused: [], started: [] };

  const refused = new Map<string, number>();
  const started: BulkRetrySummary["started"] = [];
  for (const { op, start } of plans) {
    try {
      const result = await start(ctx);
      const operationId = "operationId" in result ? result.operationId : result.id;
      await getDb()
        .update(operations)
        .set({ params: sql`${operations.params} || jsonb_build_object('retryOf', ${op.id}::text)` })
        .where(eq(operations.id, operationId));
      started.push({ retryOf: op.id, operationId });
    } catch (err) {
      if (!(err instanceof ServiceError)) getLogger().error({ err, operationId: op.id, correlationId: ctx.correlationId }, "bulk retry: a start failed");
      bump(refused, err instanceof ServiceError ? err.message : "internal error");
    }
  }
  const result = { dryRun: false, ...summary, retried: started.length, refused: tally(refused), started };
  await withTransaction(ctx, "operation.bulk-retry", (tx) =>
    emitAudit(tx, ctx, { action: "operation.bulk-retry", target: { type: "operation", id: null }, params: { ...selectionOf(data), matched: result.matched, count: result.retried, skipped: result.skipped, refused: result.refused } }),
  );
  return result;
}

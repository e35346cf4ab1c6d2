import { and, asc, gt, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { operations, type Operation } from "@/db/schema/operations";
import { ACTIVE_OPERATION_STATUSES } from "@/lib/operation-status";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { BulkInput, bump, selectionConditions, selectionOf, tally, type Skipped } from "./bulk";
import { cancelLockedOperation, sendCancelRequested } from "./cancel";

/** Rows locked and cancelled per transaction: 10,000 matches make 50 short transactions, not one long one. */
const BATCH = 200;

const active = inArray(operations.status, [...ACTIVE_OPERATION_STATUSES]);
const FINISHED = "already finished";
const SWITCHED = "already switched its collection (finishes on its own; roll back instead)";

export type BulkCancelSummary = { dryRun: boolean; matched: number; cancelled: number; skipped: Skipped[] };

/** What a bulk cancel would do now: how many it would cancel, and the rest by reason. */
async function previewCancel(input: BulkInput): Promise<BulkCancelSummary> {
  // By filter only the operations under way count (a filter may match millions that have ended).
  const where = and(...(await selectionConditions(input)), input.ids ? undefined : active);
  const [row = { selected: 0, active: 0, switched: 0 }] = await getDb()
    .select({
      selected: sql<number>`count(*)::int`,
      active: sql<number>`(count(*) filter (where ${active}))::int`,
      switched: sql<number>`(count(*) filter (where ${active} and ${operations.type} <> 'INDEX' and exists (select 1 from alias_changes a where a.operation_id = "operations"."id")))::int`,
    })
    .from(operations)
    .where(where);
  const skipped = new Map<string, number>();
  if (row.selected > row.active) bump(skipped, FINISHED, row.selected - row.active);
  if (row.switched) bump(skipped, SWITCHED, row.switched);
  return { dryRun: true, matched: row.selected, cancelled: row.active - row.switched, skipped: tally(skipped) };
}

/**
 * Bulk cancel (`POST /api/v1/operations/bulk-cancel`): cancels the selected operations, or every
 * one under way that matches the filter, each through the one cancel path (cancelLockedOperation:
 * checkpoints end, then its cancel event stops the run, rolls back and releases its collection).
 * Batches of BATCH rows, each its own transaction and its events sent after its commit; the one
 * audit entry, with the selection and the counts, commits with the last batch.
 */
export async function bulkCancelOperations({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<BulkCancelSummary> {
  await authorize(ctx, "operation.cancel", "operation.bulk-cancel", input);
  const data = await parseInput(ctx, "operation.bulk-cancel", BulkInput, input);
  const preview = await previewCancel(data);
  if (data.dryRun) return preview;
  const skipped = new Map<string, number>();
  const finished = preview.skipped.find((s) => s.reason === FINISHED)?.count ?? 0;
  if (finished) bump(skipped, FINISHED, finished);
  const selection = await selectionConditions(data);
  let cancelled = 0;
  let last: string | null = null;
  for (;;) {
    const after: string | null = last;
    const batch = await withTransaction(ctx, "operation.bulk-cancel", async (tx): Promise<{ rows: Operation[]; done: Operation[] }> => {
      const rows = await tx
        .select()
        .from(operations)
        .where(and(...selection, active, after ? gt(operations.id, after) : undefined))
        .orderBy(asc(operations.id))
        .limit(BATCH)
        .for("update");
      const done: Operation[] = [];
      for (const op of rows) {
        try {
          done.push(await cancelLockedOperation(tx, ctx, op));
        } catch (err) {
          if (!(err instanceof ServiceError && err.code === "conflict")) throw err;
          bump(skipped, SWITCHED);
        }
      }
      if (rows.length < BATCH) {
        const total = cancelled + done.length;
        await emitAudit(tx, ctx, { action: "operation.bulk-cancel", target: { type: "operation", id: null }, params: { ...selectionOf(data), matched: preview.matched, count: total, skipped: tally(skipped) } });
      }
      return { rows, done };
    });
    await sendCancelRequested(batch.done);
    cancelled += batch.done.length;
    if (batch.rows.length < BATCH) break;
    last = batch.rows.at(-1)!.id;
  }
  return { dryRun: false, matched: preview.matched, cancelled, skipped: tally(skipped) };
}

import type { QueueItem } from "./apply";
import { flushBatch } from "./batch";
import type { ExecutorContext } from "./context";
import { fireDebounce } from "./debounce";
import { resolveStep } from "./runs";

/** Queue kinds for timers that are not SDK calls: debounce starts, batch timeouts, invoke timeouts. */
export const DEFERRED_KINDS = new Set(["debounce", "batch", "invoke_timeout"]);

/** Inngest's error for an invoke whose child did not finish within `timeout` (the child keeps running). */
export const INVOKE_TIMEOUT_ERROR = { name: "InngestInvokeTimeoutError", message: "Timed out waiting for invoked function to complete" };

/** step.invoke timed out: the parent's step fails unless the child's result was memoized first. */
async function expireInvoke(ctx: ExecutorContext, item: QueueItem): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    // Parent run row before the queue item: the order cancelling the parent takes them in.
    await tx`select 1 from executor_runs where id = ${item.run_id} for update`;
    await tx`delete from executor_queue where id = ${item.id}`;
    if (item.step_hash) await resolveStep(ctx, tx, item.run_id, { hash: item.step_hash, op: "InvokeFunction" }, { type: "error", error: INVOKE_TIMEOUT_ERROR }, true);
  });
  ctx.wake();
}

/** Works one item of a DEFERRED_KINDS kind. */
export async function workDeferred(ctx: ExecutorContext, item: QueueItem): Promise<void> {
  if (item.kind === "debounce") return fireDebounce(ctx, item);
  if (item.kind === "batch") return flushBatch(ctx, item);
  if (item.kind === "invoke_timeout") return expireInvoke(ctx, item);
  throw new Error(`no handler for queue kind ${item.kind}`);
}

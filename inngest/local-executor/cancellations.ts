import { randomUUID } from "node:crypto";
import { parse } from "@marcbachmann/cel-js";
import { matchesCel } from "./cel";
import { ACTIVE_STATUSES, type ExecutorContext } from "./context";
import { acknowledgedTransaction } from "./db";
import { cancelRun } from "./runs";

const PAGE = 200;

export type CancellationRequest = { app_id?: unknown; function_id?: unknown; started_after?: unknown; started_before?: unknown; if?: unknown; name?: unknown };

export type Cancellation = {
  id: string;
  name: string | null;
  app_id: string;
  function_id: string;
  started_after: string;
  started_before: string;
  if: string | null;
  /** Not in Inngest's answer: how many active runs this cancelled. */
  cancelled: number;
};

export class CancellationInputError extends Error {}

function timeOf(value: unknown, field: string, fallback: Date): Date {
  if (value === undefined || value === null || value === "") return fallback;
  const at = typeof value === "string" || typeof value === "number" ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new CancellationInputError(`${field} must be an RFC 3339 time`);
  return at;
}

/** The executor's id for an app's function: Inngest's API names it by app and function slug. */
function resolveFunctionId(ctx: ExecutorContext, appId: string, functionId: string): string {
  const full = `${appId}-${functionId}`;
  const known = new Set(ctx.registry.all().map((fn) => fn.id));
  return !known.has(full) && known.has(functionId) ? functionId : full;
}

/**
 * Bulk cancellation (`POST /v1/cancellations`): cancels every active run of the function created in
 * [started_after, started_before) whose trigger event matches `if`, a page per transaction.
 */
export async function cancelRunsInRange(ctx: ExecutorContext, input: CancellationRequest): Promise<Cancellation> {
  if (typeof input.app_id !== "string" || !input.app_id) throw new CancellationInputError("app_id is required");
  if (typeof input.function_id !== "string" || !input.function_id) throw new CancellationInputError("function_id is required");
  const after = timeOf(input.started_after, "started_after", new Date(0));
  const before = timeOf(input.started_before, "started_before", new Date());
  const expression = typeof input.if === "string" && input.if.trim() ? input.if : null;
  if (expression) {
    try {
      parse(expression);
    } catch (e) {
      throw new CancellationInputError(`if is not a valid expression: ${(e as Error).message}`);
    }
  }
  const functionId = resolveFunctionId(ctx, input.app_id, input.function_id);
  const id = randomUUID();
  let cancelled = 0;
  // Keyset paging; the cursor keeps PostgreSQL's microseconds as text, which a JS Date would cut to ms.
  let cursor = { at: after.toISOString(), id: "00000000-0000-0000-0000-000000000000" };
  for (;;) {
    const page: { id: string; event: Record<string, unknown>; at: string }[] = await ctx.sql`
      select id, event, created_at::text as at from executor_runs
      where function_id = ${functionId} and status = any(${ACTIVE_STATUSES}::text[])
        and created_at >= ${after.toISOString()}::timestamptz and created_at < ${before.toISOString()}::timestamptz
        and (created_at, id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)
      order by created_at, id limit ${PAGE}`;
    const last = page.at(-1);
    if (!last) break;
    cursor = { at: last.at, id: last.id };
    const matching = page.filter((run) => matchesCel(expression, { event: run.event }));
    if (matching.length) {
      cancelled += await acknowledgedTransaction(ctx.sql, async (tx) => {
        let n = 0;
        for (const run of matching) if (await cancelRun(ctx, tx, run.id, `cancelled by bulk cancellation ${id}`)) n++;
        return n;
      });
    }
    if (page.length < PAGE) break;
  }
  ctx.logger.info({ cancellationId: id, functionId, cancelled }, "bulk cancellation done");
  return {
    id,
    name: typeof input.name === "string" ? input.name : null,
    app_id: input.app_id,
    function_id: input.function_id,
    started_after: after.toISOString(),
    started_before: before.toISOString(),
    if: expression,
    cancelled,
  };
}

import { applyResult, type QueueItem } from "./apply";
import { callFunction, type Memo } from "./call";
import { ACTIVE_STATUSES, RUN_COLUMNS, type ExecutorContext, type RunRow } from "./context";
import { failRun, lockRun, resolveStep } from "./runs";

type RunState = { run: RunRow; steps: Record<string, Memo>; stack: string[] };

/** One round trip: marks a queued run started and reads it with its memoized steps in stack order. */
async function loadRun(ctx: ExecutorContext, runId: string): Promise<RunState | undefined> {
  const rows = await ctx.sql<(RunRow & { memo: [string, Memo][] })[]>`
    with started as (
      update executor_runs set status = 'running', started_at = now(), updated_at = now() where id = ${runId} and status = 'queued' returning id
    )
    select ${ctx.sql(RUN_COLUMNS)},
      coalesce((select json_agg(json_build_array(s.hash, s.memo) order by s.position) from executor_steps s where s.run_id = r.id and s.done), '[]') as memo,
      (select count(*) from started) as started
    from executor_runs r where r.id = ${runId}`;
  const row = rows[0];
  if (!row) return undefined;
  const { memo, ...run } = row;
  const steps: Record<string, Memo> = {};
  for (const [hash, value] of memo) steps[hash] = value;
  return { run: run as RunRow, steps, stack: memo.map(([hash]) => hash) };
}

/**
 * Works a call item until the run parks (sleep, wait, parallel plan, retry) or ends. A sequential
 * run keeps its item and in-memory memo between steps, saving a claim and a load per step.
 */
export async function runCalls(ctx: ExecutorContext, first: QueueItem, shouldStop: () => boolean): Promise<void> {
  let item = first;
  let state = await loadRun(ctx, item.run_id);
  for (;;) {
    if (!state || !ACTIVE_STATUSES.includes(state.run.status)) {
      await ctx.sql`delete from executor_queue where id = ${item.id}`;
      return;
    }
    const fn = await ctx.registry.get(state.run.function_id);
    if (!fn) {
      await ctx.sql.begin(async (tx) => {
        const run = await lockRun(tx, item.run_id);
        if (run && ACTIVE_STATUSES.includes(run.status)) await failRun(ctx, tx, run, { name: "Error", message: `function ${state?.run.function_id} is not registered (sync the app)` });
      });
      return;
    }
    const result = await callFunction({
      runtimeUrl: fn.runtimeUrl,
      stepId: item.step_hash,
      event: state.run.event,
      steps: state.steps,
      stack: state.stack,
      runId: state.run.id,
      attempt: item.attempt,
      maxAttempts: state.run.max_attempts,
      disableImmediate: state.run.disable_immediate,
      signingKey: ctx.signingKey,
      timeoutMs: ctx.callTimeoutMs,
    });
    const outcome = await applyResult(ctx, item, result, state.run);
    if (outcome.next !== "continue") return;
    if (shouldStop()) {
      await ctx.sql`update executor_queue set locked_by = null, locked_at = null where id = ${item.id}`;
      ctx.wake();
      return;
    }
    for (const [hash, memo] of outcome.memos) {
      state.steps[hash] = memo;
      state.stack.push(hash);
    }
    state = { ...state, run: outcome.run };
    item = { ...item, step_hash: null, attempt: 0 };
  }
}

/** A sleep elapsed: memoize null for the step and queue the next discovery. */
export async function finishSleep(ctx: ExecutorContext, item: QueueItem): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    await tx`delete from executor_queue where id = ${item.id}`;
    if (item.step_hash) await resolveStep(tx, item.run_id, { hash: item.step_hash, op: "Sleep" }, null);
  });
  ctx.wake();
}

/** A waitForEvent timed out: if the pause is still there, the step resolves to null. */
export async function expireWait(ctx: ExecutorContext, item: QueueItem): Promise<void> {
  const pauseId = String(item.payload?.pauseId ?? "");
  await ctx.sql.begin(async (tx) => {
    await tx`delete from executor_queue where id = ${item.id}`;
    const gone = await tx`delete from executor_pauses where id = ${pauseId} returning id`;
    if (gone.length && item.step_hash) await resolveStep(tx, item.run_id, { hash: item.step_hash, op: "WaitForEvent" }, null);
  });
  ctx.wake();
}

import { applyResult, type QueueItem } from "./apply";
import { callFunction, type Memo } from "./call";
import { ACTIVE_STATUSES, RUN_COLUMNS, type ExecutorContext, type RunRow } from "./context";
import { toJson } from "./db";
import { failRun, lockRun, resolveStep } from "./runs";

type RunState = { run: RunRow; steps: Record<string, Memo>; stack: string[] };

/** One round trip: marks a queued run started and reads it with its memoized steps in stack order. */
async function loadRun(ctx: ExecutorContext, runId: string): Promise<RunState | undefined> {
  const rows = await ctx.sql<(RunRow & { memo: [string, Memo][] })[]>`
    with started as (
      update executor_runs set status = 'running', started_at = now(), updated_at = now(),
        event_bytes = octet_length(event::text), state_bytes = state_bytes + octet_length(event::text)
      where id = ${runId} and status = 'queued' returning id
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
export async function runCalls(ctx: ExecutorContext, first: QueueItem, shouldStop: (item: QueueItem) => boolean): Promise<void> {
  let item = first;
  let state = await loadRun(ctx, item.run_id);
  for (;;) {
    if (!state || !ACTIVE_STATUSES.includes(state.run.status)) {
      await ctx.sql`delete from executor_queue where id = ${item.id}`;
      return;
    }
    const fn = await ctx.registry.get(state.run.function_id);
    if (!fn) return awaitFunction(ctx, item, state.run);
    // Discovery of a sequential run may checkpoint: the SDK then runs several steps in this call.
    // qi_id names the claim, not just the item: a checkpoint from a call whose lease another worker took is stale.
    const qi = ctx.checkpointing && item.step_hash === null && !state.run.disable_immediate ? `${item.id}.${item.locked_by}` : null;
    const result = await callFunction({
      runtimeUrl: fn.runtimeUrl,
      stepId: item.step_hash,
      event: state.run.event,
      events: state.run.events,
      steps: state.steps,
      stack: state.stack,
      runId: state.run.id,
      attempt: item.attempt,
      maxAttempts: state.run.max_attempts,
      disableImmediate: state.run.disable_immediate,
      checkpoint: qi ? { functionId: state.run.function_id, queueItemId: qi } : undefined,
      signingKey: ctx.signingKey,
      timeoutMs: ctx.callTimeoutMs,
      onRestartable: qi ? (restart) => ctx.checkpointingCalls.set(qi, restart) : undefined,
    }).finally(() => qi && ctx.checkpointingCalls.delete(qi));
    // Checkpoints of this call changed the run's counts and memo in the database: unless the run
    // ended (which needs neither), read them again.
    const ended = result.kind === "done" || (result.kind === "ops" && result.ops.length === 1 && result.ops[0]!.op === "RunComplete");
    if (qi && !ended) {
      state = await loadRun(ctx, item.run_id);
      if (!state) continue;
    }
    const outcome = await applyResult(ctx, item, result, state.run);
    if (outcome.next !== "continue") return;
    if (shouldStop(item)) {
      await ctx.sql`update executor_queue set locked_by = null, locked_at = null, lease_until = null where id = ${item.id} and locked_by = ${item.locked_by}`;
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

/**
 * The run's function is not registered: during a rolling restart a replica may not have synced it
 * yet. The call waits with backoff for up to missingFunctionGraceMs, then the run fails.
 */
async function awaitFunction(ctx: ExecutorContext, item: QueueItem, run: RunRow): Promise<void> {
  const since = typeof item.payload?.missingSince === "number" ? item.payload.missingSince : Date.now();
  const waited = Date.now() - since;
  if (waited < ctx.missingFunctionGraceMs) {
    const delayMs = Math.min(30_000, 500 * 2 ** Math.min(6, Math.floor(waited / 1000)));
    await ctx.sql`
      update executor_queue set locked_by = null, locked_at = null, lease_until = null, run_at = now() + ${delayMs} * interval '1 millisecond',
        payload = coalesce(payload, '{}'::jsonb) || ${toJson({ missingSince: since })}::jsonb
      where id = ${item.id}`;
    ctx.logger.warn({ runId: run.id, functionId: run.function_id, waitedMs: waited }, "function not registered yet; the run waits for a sync");
    return;
  }
  await ctx.sql.begin(async (tx) => {
    const locked = await lockRun(tx, item.run_id);
    if (locked && ACTIVE_STATUSES.includes(locked.status)) {
      await failRun(ctx, tx, locked, { name: "FunctionNotRegistered", message: `function ${run.function_id} has not been registered by any app for ${Math.round(waited / 1000)} s (sync the app)` });
    }
  });
}

/** A sleep elapsed: memoize null for the step and queue the next discovery. */
export async function finishSleep(ctx: ExecutorContext, item: QueueItem): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    await lockRun(tx, item.run_id); // run row before its queue item, the order cancelling takes them in
    await tx`delete from executor_queue where id = ${item.id}`;
    if (item.step_hash) await resolveStep(ctx, tx, item.run_id, { hash: item.step_hash, op: "Sleep" }, null);
  });
  ctx.wake();
}

/** A waitForEvent timed out: if the pause is still there, the step resolves to null. */
export async function expireWait(ctx: ExecutorContext, item: QueueItem): Promise<void> {
  const pauseId = String(item.payload?.pauseId ?? "");
  await ctx.sql.begin(async (tx) => {
    await lockRun(tx, item.run_id); // as finishSleep
    await tx`delete from executor_queue where id = ${item.id}`;
    const gone = await tx`delete from executor_pauses where id = ${pauseId} returning id`;
    if (gone.length && item.step_hash) await resolveStep(ctx, tx, item.run_id, { hash: item.step_hash, op: "WaitForEvent" }, null);
  });
  ctx.wake();
}

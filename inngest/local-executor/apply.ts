import { randomUUID } from "node:crypto";
import type { CallResult, Memo, SdkOp } from "./call";
import { stepOf } from "./checkpoint";
import { ACTIVE_STATUSES, type ExecutorContext, type RunRow } from "./context";
import { toJson, type TxSql } from "./db";
import { completeRun, createRun, emitRunEnd, enqueueCall, failRun, lockRun, memoizeStep, noteStep, type StepInfo } from "./runs";
import { backoffMs, parseDelayMs } from "./time";
import { stepDurationError, stepLimitError } from "./usage-limits";

/** A claimed queue item; `locked_by` is the worker whose lease it is under. */
export type QueueItem = { id: number; run_id: string; kind: string; step_hash: string | null; attempt: number; payload: Record<string, unknown> | null; locked_by: number };

/** `continue`: the run is sequential and its item was turned into the next discovery call, still ours. */
export type ApplyOutcome = { next: "continue"; run: RunRow; memos: [string, Memo][] } | { next: "stop" };

const STOP: ApplyOutcome = { next: "stop" };
const WAIT_FOREVER_MS = 365 * 86_400_000;

function delayExpr(ms: number): string {
  return `${Math.max(0, Math.round(ms))} milliseconds`;
}

/**
 * The common case in one statement: a sequential run reports one finished step. Memoizes it and
 * turns the item into the next discovery call; null when the run is not in that state (cancelled,
 * parallel, step already memoized), and the general path decides.
 */
async function applySequentialStep(ctx: ExecutorContext, item: QueueItem, run: RunRow, op: SdkOp): Promise<ApplyOutcome | null> {
  const memo: Memo = { type: "data", data: op.data ?? null };
  const step = stepOf(op);
  const memoJson = toJson(memo);
  const bytes = Buffer.byteLength(memoJson);
  if (stepLimitError(ctx.limits, run, bytes, step.stepId)) return null; // the general path fails the run
  const rows = await ctx.sql<{ stored: number }[]>`
    with r as (
      update executor_runs set step_count = step_count + 1, state_bytes = state_bytes + ${bytes},
        max_step_output_bytes = greatest(max_step_output_bytes, ${bytes}), status = 'running', updated_at = now()
      where id = ${item.run_id} and status = 'running' and not disable_immediate
        and not exists (select 1 from executor_steps where run_id = ${item.run_id} and hash = ${op.id} and done)
      returning step_count - 1 as pos
    ), s as (
      insert into executor_steps (run_id, hash, step_id, name, op, status, attempts, done, position, memo, ended_at)
      select ${item.run_id}, ${op.id}, ${step.stepId ?? null}, ${step.name ?? null}, 'StepRun', 'completed', 1, true, r.pos, ${memoJson}::jsonb, now() from r
      on conflict (run_id, hash) do update set status = 'completed', done = true, position = excluded.position, memo = excluded.memo,
        attempts = executor_steps.attempts + 1, ended_at = now()
      returning 1
    ), q as (
      update executor_queue set step_hash = null, attempt = 0 where id = ${item.id} and locked_by = ${item.locked_by} and exists (select 1 from s) returning 1
    )
    select (select count(*) from q)::int as stored`;
  if (rows[0]?.stored !== 1) return null;
  return { next: "continue", run: { ...run, step_count: run.step_count + 1, state_bytes: Number(run.state_bytes) + bytes }, memos: [[op.id, memo]] };
}

class NotCompleted extends Error {}

/**
 * A finished run without a parent (no invoke to resolve) ends in one statement, with its end events
 * pipelined behind it in the same transaction; false (rolled back) when the run was not active.
 */
async function completeOrphanRun(ctx: ExecutorContext, item: QueueItem, run: RunRow, output: unknown): Promise<boolean> {
  try {
    await ctx.sql.begin(async (tx) => {
      const completed = tx<{ n: number }[]>`
        with r as (
          update executor_runs set status = 'completed', output = ${toJson(output)}::jsonb, ended_at = now(), updated_at = now()
          where id = ${item.run_id} and status = any(${ACTIVE_STATUSES}::text[]) and parent_run_id is null
          returning id
        ), q as (
          delete from executor_queue where run_id = ${item.run_id} and exists (select 1 from r)
        ), p as (
          delete from executor_pauses where run_id = ${item.run_id} and exists (select 1 from r)
        )
        select count(*)::int as n from r`.execute();
      const emitted = emitRunEnd(ctx, tx, run, { status: "completed", result: output });
      const [rows] = await Promise.all([completed, emitted]);
      if (rows[0]?.n !== 1) throw new NotCompleted();
    });
    return true;
  } catch (e) {
    if (e instanceof NotCompleted) return false;
    throw e;
  }
}

/** Applies one SDK answer to a run in a single transaction, the run row locked. */
export async function applyResult(ctx: ExecutorContext, item: QueueItem, result: CallResult, known?: RunRow): Promise<ApplyOutcome> {
  const only = result.kind === "ops" && result.ops.length === 1 ? result.ops[0] : undefined;
  if (known && only?.op === "StepRun" && !known.disable_immediate) {
    const fast = await applySequentialStep(ctx, item, known, only);
    if (fast) return fast;
  }
  // A run that checkpointed its steps ends with a 206 of one RunComplete instead of a 200.
  const finished = result.kind === "done" ? { data: result.data } : only?.op === "RunComplete" ? { data: only.data ?? null } : null;
  if (known && !known.parent_run_id && finished && (await completeOrphanRun(ctx, item, known, finished.data))) return STOP;
  return ctx.sql.begin(async (tx) => {
    const run = await lockRun(tx, item.run_id);
    if (!run || !ACTIVE_STATUSES.includes(run.status)) {
      // Cancelled (or finished) while the step executed: the result is discarded.
      await tx`delete from executor_queue where id = ${item.id}`;
      return STOP;
    }
    if (result.kind === "done") {
      await completeRun(ctx, tx, run, result.data);
      return STOP;
    }
    if (result.kind === "error") return applyRunError(ctx, tx, run, item, result);
    if (result.ops.length === 0) {
      // A 206 with nothing to do would strand the run; treat it as a failed attempt.
      return applyRunError(ctx, tx, run, item, { kind: "error", retriable: true, status: 206, error: { name: "Error", message: "the SDK answered 206 without ops" } });
    }
    return applyOps(ctx, tx, run, item, result.ops, result.retryAfterMs);
  });
}

async function applyRunError(ctx: ExecutorContext, tx: TxSql, run: RunRow, item: QueueItem, result: Extract<CallResult, { kind: "error" }>): Promise<ApplyOutcome> {
  if (result.timedOut) {
    await failRun(ctx, tx, run, stepDurationError(ctx.limits));
    return STOP;
  }
  const nextAttempt = item.attempt + 1;
  if (result.retriable && nextAttempt < run.max_attempts) {
    const delay = delayExpr(result.retryAfterMs ?? backoffMs(item.attempt, ctx.retryBaseMs));
    await tx`
      update executor_queue set attempt = ${nextAttempt}, run_at = now() + ${delay}::interval,
        sort_at = now() + ${delay}::interval - ${run.priority} * interval '1 second', locked_by = null, locked_at = null
      where id = ${item.id}`;
    await tx`update executor_runs set error = ${toJson(result.error)}::jsonb, updated_at = now() where id = ${run.id}`;
    ctx.logger.info({ runId: run.id, attempt: item.attempt, status: result.status, error: result.error.message }, "run attempt failed; will retry");
    return STOP;
  }
  await failRun(ctx, tx, run, result.error);
  return STOP;
}

async function applyOps(ctx: ExecutorContext, tx: TxSql, run: RunRow, item: QueueItem, ops: SdkOp[], retryAfterMs?: number): Promise<ApplyOutcome> {
  if (ops.length > 1 && !run.disable_immediate) {
    // Parallel steps: from now on discovery only plans, each step runs in its own call.
    await tx`update executor_runs set disable_immediate = true where id = ${run.id}`;
    run.disable_immediate = true;
  }
  let discover = false;
  let keepItem = false;
  let parked: "sleeping" | "waiting" | null = null;
  let planned = false;
  const memos: [string, Memo][] = [];
  // Steps memoized by this answer count against the limits of the ones after them.
  const usage = { step_count: run.step_count, state_bytes: Number(run.state_bytes) };
  const memoize = async (step: StepInfo, memo: Memo, failed?: { error: unknown }): Promise<boolean> => {
    const bytes = Buffer.byteLength(toJson(memo));
    const over = stepLimitError(ctx.limits, usage, bytes, step.stepId);
    if (over) {
      await failRun(ctx, tx, run, over);
      return false;
    }
    if (!(await memoizeStep(tx, run.id, step, memo, failed ? { failed: true, error: failed.error } : {}))) return true;
    usage.step_count++;
    usage.state_bytes += bytes;
    memos.push([step.hash, memo]);
    return true;
  };
  for (const op of ops) {
    const step = stepOf(op);
    switch (op.op) {
      case "StepRun": {
        if (!(await memoize(step, { type: "data", data: op.data ?? null }))) return STOP;
        discover = true;
        break;
      }
      case "StepFailed": {
        if (!(await memoize(step, { type: "error", error: op.error ?? op.data }, { error: op.error }))) return STOP;
        discover = true;
        break;
      }
      case "StepError": {
        await noteStep(tx, run.id, step, "running", op.error ?? { name: "Error", message: "step failed" });
        const delayMs = retryAfterMs ?? backoffMs(item.attempt, ctx.retryBaseMs);
        if (item.step_hash === op.id) {
          keepItem = true;
          await tx`
            update executor_queue set attempt = ${item.attempt + 1}, run_at = now() + ${delayExpr(delayMs)}::interval,
              sort_at = now() + ${delayExpr(delayMs)}::interval - ${run.priority} * interval '1 second', locked_by = null, locked_at = null
            where id = ${item.id}`;
        } else {
          await enqueueCall(tx, run, { stepHash: op.id, attempt: item.attempt + 1, delayMs });
        }
        planned = true;
        break;
      }
      case "StepPlanned": {
        planned = true;
        if (item.step_hash === op.id) {
          keepItem = true;
          await tx`update executor_queue set locked_by = null, locked_at = null where id = ${item.id}`;
          break;
        }
        const done = await tx`select 1 from executor_steps where run_id = ${run.id} and hash = ${op.id} and done`;
        if (done.length === 0) await enqueueCall(tx, run, { stepHash: op.id, attempt: 0 });
        break;
      }
      case "Sleep": {
        await noteStep(tx, run.id, step, "sleeping");
        const ms = parseDelayMs(op.name ?? op.opts?.duration);
        await tx`insert into executor_queue (run_id, kind, step_hash, run_at, sort_at)
                 values (${run.id}, 'sleep', ${op.id}, now() + ${delayExpr(ms)}::interval, now() + ${delayExpr(ms)}::interval)`;
        parked ??= "sleeping";
        break;
      }
      case "WaitForEvent": {
        await noteStep(tx, run.id, step, "waiting");
        const eventName = String(op.name ?? op.opts?.event ?? "");
        const ms = op.opts?.timeout ? parseDelayMs(op.opts.timeout) : WAIT_FOREVER_MS;
        const pauseId = randomUUID();
        const condition = typeof op.opts?.if === "string" ? op.opts.if : null;
        await tx`insert into executor_pauses (id, run_id, step_hash, event_name, condition, expires_at)
                 values (${pauseId}, ${run.id}, ${op.id}, ${eventName}, ${condition}, now() + ${delayExpr(ms)}::interval)`;
        await tx`insert into executor_queue (run_id, kind, step_hash, run_at, sort_at, payload)
                 values (${run.id}, 'wait_timeout', ${op.id}, now() + ${delayExpr(ms)}::interval, now() + ${delayExpr(ms)}::interval, ${toJson({ pauseId })}::jsonb)`;
        parked = "waiting";
        break;
      }
      case "InvokeFunction": {
        const started = await invokeChild(ctx, tx, run, op, step);
        if (started) parked = "waiting";
        else discover = true;
        break;
      }
      case "RunComplete":
        await completeRun(ctx, tx, run, op.data ?? null);
        return STOP;
      default:
        // Ignoring it would leave the run "running" forever with nothing queued.
        await failRun(ctx, tx, run, { name: "UnknownOpcode", message: `the SDK answered with an operation this executor does not know: ${String(op.op).slice(0, 100)}` });
        return STOP;
    }
  }
  const sequential = !run.disable_immediate && ops.length === 1 && discover && !keepItem;
  if (sequential) {
    await tx`update executor_queue set step_hash = null, attempt = 0 where id = ${item.id}`;
  } else {
    if (discover) await enqueueCall(tx, run);
    if (!keepItem) await tx`delete from executor_queue where id = ${item.id}`;
  }
  const status = discover || planned || !parked ? "running" : parked;
  await tx`update executor_runs set status = ${status}, updated_at = now() where id = ${run.id}`;
  if (!sequential) ctx.wake();
  return sequential ? { next: "continue", run: { ...run, ...usage }, memos } : STOP;
}

/** step.invoke: starts the child run (and the `timeout` timer); when the function is unknown the step fails at once. */
async function invokeChild(ctx: ExecutorContext, tx: TxSql, run: RunRow, op: SdkOp, step: StepInfo): Promise<boolean> {
  const functionId = String(op.opts?.function_id ?? "");
  const payload = (op.opts?.payload ?? {}) as { data?: Record<string, unknown>; user?: unknown };
  const fn = await ctx.registry.get(functionId);
  const failStep = async (message: string) => {
    const error = { name: "Error", message };
    await memoizeStep(tx, run.id, step, { type: "error", error }, { failed: true, error });
  };
  if (!fn) {
    await failStep(`invoked function ${functionId} is not registered`);
    return false;
  }
  await noteStep(tx, run.id, step, "waiting");
  const event = { name: "inngest/function.invoked", data: payload.data ?? {}, id: randomUUID(), ts: Date.now() };
  const childId = await createRun(ctx, tx, { fn, event, parentRunId: run.id, parentStep: op.id });
  if (!childId) {
    await failStep(`invoked function ${functionId} was skipped (idempotency or singleton)`);
    return false;
  }
  const timeoutMs = op.opts?.timeout ? parseDelayMs(op.opts.timeout) : 0;
  if (timeoutMs > 0) {
    await tx`insert into executor_queue (run_id, kind, step_hash, run_at, sort_at, payload)
             values (${run.id}, 'invoke_timeout', ${op.id}, now() + ${delayExpr(timeoutMs)}::interval, now() + ${delayExpr(timeoutMs)}::interval, ${toJson({ childRunId: childId })}::jsonb)`;
  }
  return true;
}

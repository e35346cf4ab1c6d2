import { randomUUID } from "node:crypto";
import { evaluateCel } from "./cel";
import { ACTIVE_STATUSES, RUN_COLUMNS, type ExecutorContext, type RunRow } from "./context";
import { toJson, type TxSql } from "./db";
import type { Memo } from "./call";
import type { RegisteredFunction } from "./registry";
import { throttleStartAt, withinRateLimit } from "./limits";
import { runEndEvents, type RunEnd } from "./system-events";
import { stepLimitError } from "./usage-limits";

const IDEMPOTENCY_TTL = "24 hours";

function concurrencyOf(fn: RegisteredFunction, event: Record<string, unknown>): { keys: string[]; limits: number[] } {
  const raw = fn.config.concurrency;
  const options = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const keys: string[] = [];
  const limits: number[] = [];
  for (const opt of options) {
    const limit = typeof opt === "number" ? opt : opt.limit;
    if (!limit || limit <= 0) continue;
    const keyExpr = typeof opt === "object" ? opt.key : undefined;
    const scope = (typeof opt === "object" && opt.scope) || "fn";
    const value = keyExpr ? evaluateCel(keyExpr, { event }) : "";
    keys.push(`${scope === "fn" ? fn.id : scope}:${keyExpr ?? ""}:${value === undefined ? "" : String(value)}`);
    limits.push(limit);
  }
  return { keys, limits };
}

function priorityOf(fn: RegisteredFunction, event: Record<string, unknown>): number {
  const expr = fn.config.priority?.run;
  if (!expr) return 0;
  const value = Number(evaluateCel(expr, { event }));
  return Number.isFinite(value) ? Math.max(-600, Math.min(600, Math.trunc(value))) : 0;
}

/** Claims several keys of one scope for 24 h in one statement (keys distinct): the set of those claimed. */
export async function claimIdempotencyKeys(tx: TxSql, scope: string, claims: { key: string; runId: string }[]): Promise<Set<string>> {
  const rows = await tx<{ key: string }[]>`
    insert into executor_idempotency (function_id, key, run_id, expires_at)
    select ${scope}, k, r, now() + ${IDEMPOTENCY_TTL}::interval from unnest(${claims.map((c) => c.key)}::text[], ${claims.map((c) => c.runId)}::uuid[]) as u(k, r)
    on conflict (function_id, key) do update set run_id = excluded.run_id, expires_at = excluded.expires_at
      where executor_idempotency.expires_at < now()
    returning key`;
  return new Set(rows.map((r) => r.key));
}

/** Claims an idempotency key for 24 h; false when an unexpired claim exists. */
export async function claimIdempotencyKey(tx: TxSql, scope: string, key: string, runId: string): Promise<boolean> {
  const rows = await tx`
    insert into executor_idempotency (function_id, key, run_id, expires_at)
    values (${scope}, ${key}, ${runId}, now() + ${IDEMPOTENCY_TTL}::interval)
    on conflict (function_id, key) do update set run_id = excluded.run_id, expires_at = excluded.expires_at
      where executor_idempotency.expires_at < now()
    returning run_id`;
  return rows.length > 0;
}

export type NewRun = {
  fn: RegisteredFunction;
  event: Record<string, unknown>;
  eventId?: string | null;
  parentRunId?: string;
  parentStep?: string;
  /** batchEvents: the whole batch (`event` is its first). */
  events?: Record<string, unknown>[];
};

/** No idempotency, rate limit, singleton or throttle: the run starts with one statement that waits on nothing. */
export function isPlainStart(fn: RegisteredFunction): boolean {
  const c = fn.config;
  return !c.idempotency && !c.rateLimit && !c.singleton && !c.throttle;
}

/**
 * Creates a run and its first call, honouring idempotency and singleton; null when skipped. A plain
 * function's run is one statement issued before this returns, so a caller may pipeline several:
 * they run in the order issued, as if awaited one by one.
 */
export function createRun(ctx: ExecutorContext, tx: TxSql, input: NewRun): Promise<string | null> {
  if (isPlainStart(input.fn)) return insertRun(ctx, tx, input, randomUUID(), null);
  return createGatedRun(ctx, tx, input);
}

async function createGatedRun(ctx: ExecutorContext, tx: TxSql, input: NewRun): Promise<string | null> {
  const { fn, event } = input;
  const id = randomUUID();
  if (fn.config.idempotency) {
    const key = evaluateCel(fn.config.idempotency, { event });
    if (key !== undefined && !(await claimIdempotencyKey(tx, fn.id, String(key), id))) {
      ctx.logger.debug({ functionId: fn.id, key }, "run skipped: idempotency key already used");
      return null;
    }
  }
  if (!(await withinRateLimit(tx, fn, event, id))) {
    ctx.logger.debug({ functionId: fn.id }, "run skipped: rate limit reached");
    return null;
  }
  let singletonKey: string | null = null;
  if (fn.config.singleton) {
    const value = fn.config.singleton.key ? evaluateCel(fn.config.singleton.key, { event }) : "";
    singletonKey = value === undefined ? "" : String(value);
    if (fn.config.singleton.mode === "cancel") {
      const active = await tx<{ id: string }[]>`
        select id from executor_runs where function_id = ${fn.id} and singleton_key = ${singletonKey} and status = any(${ACTIVE_STATUSES}::text[])`;
      for (const run of active) await cancelRun(ctx, tx, run.id, "replaced by a newer singleton run");
    }
  }
  return insertRun(ctx, tx, input, id, singletonKey);
}

/** The run row and its first call in one statement; a throttled run takes its slot between the two. */
async function insertRun(ctx: ExecutorContext, tx: TxSql, input: NewRun, id: string, singletonKey: string | null): Promise<string | null> {
  const { fn, event } = input;
  const { keys, limits } = concurrencyOf(fn, event);
  const priority = priorityOf(fn, event);
  const throttled = !!fn.config.throttle;
  const inserted = await tx`
    with r as (
      insert into executor_runs (id, function_id, event_id, event, max_attempts, concurrency_keys, concurrency_limits, singleton_key, priority, parent_run_id, parent_step, events)
      values (${id}, ${fn.id}, ${input.eventId ?? null}, ${toJson(event)}::jsonb, ${fn.maxAttempts}, ${keys}::text[], ${limits}::int[],
              ${singletonKey}, ${priority}, ${input.parentRunId ?? null}, ${input.parentStep ?? null}, ${input.events ? toJson(input.events) : null}::jsonb)
      on conflict (function_id, singleton_key) where singleton_key is not null and status in ('queued', 'running', 'sleeping', 'waiting') do nothing
      returning id
    ), q as (
      insert into executor_queue (run_id, kind, run_at, sort_at, concurrency_keys, concurrency_limits)
      select id, 'call', now(), now() - ${priority} * interval '1 second', ${keys}::text[], ${limits}::int[] from r where not ${throttled}
    )
    select id from r`;
  if (inserted.length === 0) {
    ctx.logger.debug({ functionId: fn.id, singletonKey }, "run skipped: singleton run active");
    return null;
  }
  if (throttled) {
    const startAt = (await throttleStartAt(tx, fn, event, id))?.toISOString() ?? null;
    await tx`
      insert into executor_queue (run_id, kind, run_at, sort_at, concurrency_keys, concurrency_limits)
      values (${id}, 'call', coalesce(${startAt}::timestamptz, now()), coalesce(${startAt}::timestamptz, now()) - ${priority} * interval '1 second',
              ${keys}::text[], ${limits}::int[])`;
  }
  return id;
}

/** Queues an SDK call for a run: `stepHash` null discovers the next step. */
export async function enqueueCall(tx: TxSql, run: RunRow, opts: { stepHash?: string | null; attempt?: number; delayMs?: number } = {}): Promise<void> {
  const delay = Math.max(0, Math.round(opts.delayMs ?? 0));
  await tx`
    insert into executor_queue (run_id, kind, step_hash, attempt, run_at, sort_at, concurrency_keys, concurrency_limits)
    values (${run.id}, 'call', ${opts.stepHash ?? null}, ${opts.attempt ?? 0}, now() + ${delay} * interval '1 millisecond',
            now() + ${delay} * interval '1 millisecond' - ${run.priority} * interval '1 second', ${run.concurrency_keys}::text[], ${run.concurrency_limits}::int[])
    on conflict (run_id, step_hash) where kind = 'call' and step_hash is not null do nothing`;
}

export type StepInfo = { hash: string; stepId?: string | null; name?: string | null; op: string };

/** Memoizes a step's result once (position = next stack slot); false if it was already memoized. */
export async function memoizeStep(tx: TxSql, runId: string, step: StepInfo, memo: Memo, opts: { failed?: boolean; error?: unknown; countAttempt?: boolean } = {}): Promise<boolean> {
  const status = opts.failed ? "failed" : "completed";
  const add = opts.countAttempt === false ? 0 : 1;
  const memoJson = toJson(memo);
  const bytes = Buffer.byteLength(memoJson);
  const rows = await tx`
    with s as (
      insert into executor_steps (run_id, hash, step_id, name, op, status, attempts, done, position, memo, error, ended_at)
      values (${runId}, ${step.hash}, ${step.stepId ?? null}, ${step.name ?? null}, ${step.op}, ${status}, ${add}, true,
              (select step_count from executor_runs where id = ${runId}), ${memoJson}::jsonb, ${opts.error === undefined ? null : toJson(opts.error)}::jsonb, now())
      on conflict (run_id, hash) do update set status = excluded.status, done = true, position = excluded.position, memo = excluded.memo,
        error = coalesce(excluded.error, executor_steps.error), attempts = executor_steps.attempts + ${add}, ended_at = now()
        where not executor_steps.done
      returning 1
    ), r as (
      update executor_runs set step_count = step_count + 1, state_bytes = state_bytes + ${bytes},
        max_step_output_bytes = greatest(max_step_output_bytes, ${bytes}), updated_at = now()
      where id = ${runId} and exists (select 1 from s) returning 1
    ) select count(*)::int as n from s`;
  return (rows[0]?.n ?? 0) > 0;
}

/** Records a step that is not finished yet (sleeping, waiting, or failed an attempt). */
export async function noteStep(tx: TxSql, runId: string, step: StepInfo, status: "running" | "sleeping" | "waiting", error?: unknown): Promise<void> {
  const add = error === undefined ? 0 : 1;
  await tx`
    insert into executor_steps (run_id, hash, step_id, name, op, status, attempts, error)
    values (${runId}, ${step.hash}, ${step.stepId ?? null}, ${step.name ?? null}, ${step.op}, ${status}, ${add}, ${error === undefined ? null : toJson(error)}::jsonb)
    on conflict (run_id, hash) do update set status = excluded.status, attempts = executor_steps.attempts + ${add},
      error = coalesce(excluded.error, executor_steps.error)
      where not executor_steps.done`;
}

export async function lockRun(tx: TxSql, runId: string): Promise<RunRow | undefined> {
  const rows = await tx<RunRow[]>`select ${tx(RUN_COLUMNS)} from executor_runs where id = ${runId} for update`;
  return rows[0];
}

/**
 * Memoizes a step of a (possibly other) run and queues its next discovery: sleeps, waits, invokes.
 * A result that would break one of Inngest's limits (an event too large to wait for) fails the run.
 * `locked`: the run's row, already locked by the caller in this transaction.
 */
export async function resolveStep(ctx: ExecutorContext, tx: TxSql, runId: string, step: StepInfo, memo: Memo, failed = false, locked?: RunRow): Promise<boolean> {
  const run = locked ?? (await lockRun(tx, runId));
  if (!run || !ACTIVE_STATUSES.includes(run.status)) return false;
  const over = stepLimitError(ctx.limits, run, Buffer.byteLength(toJson(memo)), step.stepId ?? step.name);
  if (over) {
    await failRun(ctx, tx, run, over);
    return false;
  }
  const stored = await memoizeStep(tx, runId, step, memo, { failed, countAttempt: false });
  if (!stored) return false;
  await tx`
    with r as (update executor_runs set status = 'running' where id = ${runId})
    insert into executor_queue (run_id, kind, step_hash, attempt, run_at, sort_at, concurrency_keys, concurrency_limits)
    values (${run.id}, 'call', null, 0, now(), now() - ${run.priority} * interval '1 second', ${run.concurrency_keys}::text[], ${run.concurrency_limits}::int[])`;
  return true;
}

async function endRun(tx: TxSql, runId: string): Promise<void> {
  await tx`delete from executor_queue where run_id = ${runId}`;
  await tx`delete from executor_pauses where run_id = ${runId}`;
}

async function resolveParent(ctx: ExecutorContext, tx: TxSql, run: RunRow, memo: Memo, failed: boolean): Promise<void> {
  if (!run.parent_run_id || !run.parent_step) return;
  await resolveStep(ctx, tx, run.parent_run_id, { hash: run.parent_step, op: "InvokeFunction" }, memo, failed);
  // The child answered (in time or not): its parent's invoke timeout has nothing left to do.
  await tx`delete from executor_queue where run_id = ${run.parent_run_id} and kind = 'invoke_timeout' and step_hash = ${run.parent_step}`;
}

export async function completeRun(ctx: ExecutorContext, tx: TxSql, run: RunRow, output: unknown): Promise<void> {
  await tx`update executor_runs set status = 'completed', output = ${toJson(output)}::jsonb, ended_at = now(), updated_at = now() where id = ${run.id}`;
  await endRun(tx, run.id);
  await resolveParent(ctx, tx, run, { type: "data", data: output }, false);
  ctx.logger.debug({ runId: run.id, functionId: run.function_id }, "run completed");
  await emitRunEnd(ctx, tx, run, { status: "completed", result: output });
}

/** Emits `inngest/function.finished` (and failed / cancelled) in the transaction that ended the run. */
export async function emitRunEnd(ctx: ExecutorContext, tx: TxSql, run: RunRow, end: RunEnd): Promise<void> {
  const events = runEndEvents(run, end);
  if (events.length) await ctx.emit(tx, events);
}

/** Fails a run and emits `inngest/function.failed` (the function's onFailure handler) and `inngest/function.finished`. */
export async function failRun(ctx: ExecutorContext, tx: TxSql, run: RunRow, error: Record<string, unknown>): Promise<void> {
  await tx`update executor_runs set status = 'failed', error = ${toJson(error)}::jsonb, ended_at = now(), updated_at = now() where id = ${run.id}`;
  await endRun(tx, run.id);
  await resolveParent(ctx, tx, run, { type: "error", error }, true);
  ctx.logger.warn({ runId: run.id, functionId: run.function_id, error: error.message }, "run failed");
  await emitRunEnd(ctx, tx, run, { status: "failed", error });
}

/** Cancels an active run; a step already executing finishes, but its result is discarded. */
export async function cancelRun(ctx: ExecutorContext, tx: TxSql, runId: string, reason: string): Promise<boolean> {
  const rows = await tx<RunRow[]>`
    update executor_runs set status = 'cancelled', ended_at = now(), updated_at = now(),
      error = ${toJson({ name: "Cancelled", message: reason })}::jsonb
    where id = ${runId} and status = any(${ACTIVE_STATUSES}::text[])
    returning ${tx(RUN_COLUMNS)}`;
  const run = rows[0];
  if (!run) return false;
  await endRun(tx, run.id);
  await resolveParent(ctx, tx, run, { type: "error", error: { name: "Error", message: `invoked run was cancelled: ${reason}` } }, true);
  ctx.logger.info({ runId, reason }, "run cancelled");
  await emitRunEnd(ctx, tx, run, { status: "cancelled", reason });
  return true;
}

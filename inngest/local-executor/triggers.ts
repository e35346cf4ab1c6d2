import { matchesCel } from "./cel";
import { batchEvent, type BatchConfig } from "./batch";
import { ACTIVE_STATUSES, RUN_COLUMNS, type ExecutorContext, type IncomingEvent, type RunRow } from "./context";
import { debounceEvent, type DebounceConfig } from "./debounce";
import { toJson, type TxSql } from "./db";
import { randomUUID } from "node:crypto";
import type { FunctionRegistry } from "./registry";
import { cancelRun, claimIdempotencyKeys, createRun, isPlainStart, resolveStep } from "./runs";
import { nextCronAt } from "./sync";
import { parseDelayMs } from "./time";

export type { IncomingEvent };
export type StoredEvent = { name: string; data: Record<string, unknown>; id: string; ts: number; v?: string; user?: unknown };

type Pause = { id: string; run_id: string; step_hash: string; condition: string | null; event: Record<string, unknown>; event_name: string };

/**
 * Stores events and acts on them in the caller's transaction: starts triggered runs, resumes
 * matching waitForEvent pauses and applies cancelOn. A sender's event id deduplicates for 24 h.
 * Round trips are few: the events, their id claims and the pauses they may resume are one
 * pipelined batch, and plain runs are pipelined too (a connection runs statements in order).
 */
export async function ingestEvents(ctx: ExecutorContext, tx: TxSql, events: IncomingEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const stored = events.map((incoming) => {
    if (!incoming || typeof incoming.name !== "string" || !incoming.name) throw new Error("every event needs a name");
    const data = incoming.data && typeof incoming.data === "object" ? incoming.data : {};
    const ts = typeof incoming.ts === "number" ? incoming.ts : Date.now();
    return { rowId: randomUUID(), incoming, data, ts };
  });
  // A sender's id claims once; a repeat within this send is a duplicate, as it would be in a later one.
  const claimers = new Map<string, string>();
  for (const e of stored) if (e.incoming.id && !claimers.has(e.incoming.id)) claimers.set(e.incoming.id, e.rowId);
  const names = [...new Set(stored.map((e) => e.incoming.name))];
  const inserted = tx`
    insert into executor_events (id, external_id, name, data, ts)
    select id, external_id, name, data::jsonb, ts
    from unnest(${stored.map((e) => e.rowId)}::uuid[], ${stored.map((e) => e.incoming.id ?? null)}::text[], ${stored.map((e) => e.incoming.name)}::text[],
                ${stored.map((e) => toJson(e.data))}::text[], ${stored.map((e) => e.ts)}::bigint[]) as u(id, external_id, name, data, ts)`.execute();
  const claims = claimers.size ? claimIdempotencyKeys(tx, "event", [...claimers].map(([key, runId]) => ({ key, runId }))) : Promise.resolve(new Set<string>());
  const candidates = tx<Pause[]>`
    select p.id, p.run_id, p.step_hash, p.condition, p.event_name, r.event from executor_pauses p join executor_runs r on r.id = p.run_id
    where p.event_name = any(${names}::text[]) and p.expires_at > now()`.execute();
  const [, fresh, pauses] = await Promise.all([inserted, claims, candidates]);
  const taken = new Set<string>();
  // Plain run starts not yet awaited; anything that reads what they wrote awaits them first.
  let pending: Promise<unknown>[] = [];
  const settle = async () => {
    const all = pending;
    pending = [];
    await Promise.all(all);
  };
  for (const { rowId, incoming, data, ts } of stored) {
    if (incoming.id && (claimers.get(incoming.id) !== rowId || !fresh.has(incoming.id))) {
      ctx.logger.debug({ eventId: incoming.id, name: incoming.name }, "duplicate event id ignored");
      continue;
    }
    const event: StoredEvent = { name: incoming.name, data, id: incoming.id ?? rowId, ts };
    if (incoming.v) event.v = incoming.v;
    if (incoming.user !== undefined) event.user = incoming.user;
    for (const { fn, expression } of ctx.registry.triggeredBy(event.name)) {
      if (!matchesCel(expression, { event })) continue;
      const config = fn.config as { debounce?: DebounceConfig; batchEvents?: BatchConfig };
      if (!config.debounce?.period && !config.batchEvents?.maxSize && isPlainStart(fn)) {
        const started = createRun(ctx, tx, { fn, event, eventId: rowId });
        started.catch(() => undefined); // awaited by settle(); this only keeps it from counting as unhandled meanwhile
        pending.push(started);
        continue;
      }
      await settle();
      if (config.debounce?.period) await debounceEvent(tx, fn, config.debounce, event, rowId);
      else if (config.batchEvents?.maxSize) await batchEvent(ctx, tx, fn, config.batchEvents, event, rowId);
      else await createRun(ctx, tx, { fn, event, eventId: rowId });
    }
    const matching = pauses.filter((p) => p.event_name === event.name && !taken.has(p.id) && matchesCel(p.condition, { event: p.event, async: event }));
    const cancellable = ctx.registry.cancellableBy(event.name);
    if (matching.length === 0 && cancellable.length === 0) continue;
    await settle();
    await resumePauses(ctx, tx, event, matching, taken);
    await applyCancellations(ctx, tx, event, cancellable);
  }
  await settle();
  ctx.wake();
  return stored.map((e) => e.rowId);
}

/**
 * waitForEvent: `if` is CEL over `event` (the run's trigger) and `async` (the incoming event).
 * Pauses are matched first and only the matching ones are taken, by deleting them: locking every
 * pause of a name up front (SKIP LOCKED) let two events arriving together hide pauses from each other.
 */
async function resumePauses(ctx: ExecutorContext, tx: TxSql, event: StoredEvent, matching: Pause[], taken: Set<string>): Promise<void> {
  // Run row first, then its pause, in one order: the order a finishing run takes them, so no deadlock.
  const key = (p: { run_id: string; id: string }) => `${p.run_id}:${p.id}`;
  for (const pause of [...matching].sort((a, b) => (key(a) < key(b) ? -1 : 1))) {
    taken.add(pause.id);
    // One statement: the run's row locked (the one-time filter runs first), then its pause and timeout taken.
    const [row] = await tx<(RunRow & { taken: boolean })[]>`
      with run as (select ${tx(RUN_COLUMNS)} from executor_runs where id = ${pause.run_id} for update),
      gone as (delete from executor_pauses where id = ${pause.id} and exists (select 1 from run) returning id),
      q as (delete from executor_queue where run_id = ${pause.run_id} and kind = 'wait_timeout' and payload->>'pauseId' = ${pause.id} and exists (select 1 from gone))
      select run.*, exists (select 1 from gone) as taken from run`;
    if (!row?.taken) continue; // another event resumed it first (or the run is gone)
    await resolveStep(ctx, tx, pause.run_id, { hash: pause.step_hash, op: "WaitForEvent" }, { type: "data", data: event }, false, row);
  }
}

const CANCEL_PAGE = 500;

/** cancelOn: reads the function's active runs a page at a time (keyset on id), so memory stays bounded. */
async function applyCancellations(ctx: ExecutorContext, tx: TxSql, event: StoredEvent, cancellable: ReturnType<FunctionRegistry["cancellableBy"]>): Promise<void> {
  for (const { fn, cancel } of cancellable) {
    const windowMs = cancel.timeout ? parseDelayMs(cancel.timeout, 0) : 0;
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const runs = await tx<{ id: string; event: Record<string, unknown> }[]>`
        select id, event from executor_runs
        where function_id = ${fn.id} and status = any(${ACTIVE_STATUSES}::text[]) and id > ${after}::uuid
          and (${windowMs} = 0 or created_at >= now() - ${windowMs} * interval '1 millisecond')
        order by id limit ${CANCEL_PAGE}`;
      for (const run of runs) {
        if (!matchesCel(cancel.if, { event: run.event, async: event })) continue;
        await cancelRun(ctx, tx, run.id, `cancelled by event ${event.name}`);
      }
      if (runs.length < CANCEL_PAGE) break;
      after = runs.at(-1)!.id;
    }
  }
}

/** Fires due cron triggers once across all executors (SKIP LOCKED) and schedules the next time. */
export async function fireDueCrons(ctx: ExecutorContext): Promise<number> {
  return ctx.sql.begin(async (tx) => {
    const due = await tx<{ function_id: string; cron: string }[]>`
      select function_id, cron from executor_crons where next_at <= now() order by next_at limit 20 for update skip locked`;
    for (const row of due) {
      const next = nextCronAt(row.cron);
      if (next) await tx`update executor_crons set next_at = ${next.toISOString()}::timestamptz where function_id = ${row.function_id} and cron = ${row.cron}`;
      else await tx`delete from executor_crons where function_id = ${row.function_id} and cron = ${row.cron}`;
      const fn = await ctx.registry.get(row.function_id);
      if (!fn) continue;
      const event = { name: "inngest/scheduled.timer", data: { cron: row.cron }, ts: Date.now() };
      const [stored] = await tx<{ id: string }[]>`
        insert into executor_events (name, data, ts) values (${event.name}, ${toJson(event.data)}::jsonb, ${event.ts}) returning id`;
      await createRun(ctx, tx, { fn, event: { ...event, id: stored?.id }, eventId: stored?.id });
    }
    if (due.length) ctx.wake();
    return due.length;
  });
}

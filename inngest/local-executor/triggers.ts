import { matchesCel } from "./cel";
import { batchEvent, type BatchConfig } from "./batch";
import { ACTIVE_STATUSES, type ExecutorContext, type IncomingEvent } from "./context";
import { debounceEvent, type DebounceConfig } from "./debounce";
import { toJson, type TxSql } from "./db";
import { cancelRun, claimIdempotencyKey, createRun, lockRun, resolveStep } from "./runs";
import { nextCronAt } from "./sync";
import { parseDelayMs } from "./time";

export type { IncomingEvent };
export type StoredEvent = { name: string; data: Record<string, unknown>; id: string; ts: number; v?: string; user?: unknown };

/**
 * Stores events and acts on them in the caller's transaction: starts triggered runs, resumes
 * matching waitForEvent pauses and applies cancelOn. A sender's event id deduplicates for 24 h.
 */
export async function ingestEvents(ctx: ExecutorContext, tx: TxSql, events: IncomingEvent[]): Promise<string[]> {
  const ids: string[] = [];
  for (const incoming of events) {
    if (!incoming || typeof incoming.name !== "string" || !incoming.name) throw new Error("every event needs a name");
    const data = incoming.data && typeof incoming.data === "object" ? incoming.data : {};
    const ts = typeof incoming.ts === "number" ? incoming.ts : Date.now();
    const [row] = await tx<{ id: string }[]>`
      insert into executor_events (external_id, name, data, ts) values (${incoming.id ?? null}, ${incoming.name}, ${toJson(data)}::jsonb, ${ts})
      returning id`;
    if (!row) throw new Error("event insert returned no row");
    ids.push(row.id);
    if (incoming.id && !(await claimIdempotencyKey(tx, "event", incoming.id, row.id))) {
      ctx.logger.debug({ eventId: incoming.id, name: incoming.name }, "duplicate event id ignored");
      continue;
    }
    const event: StoredEvent = { name: incoming.name, data, id: incoming.id ?? row.id, ts };
    if (incoming.v) event.v = incoming.v;
    if (incoming.user !== undefined) event.user = incoming.user;
    await startTriggeredRuns(ctx, tx, event, row.id);
    await resumePauses(ctx, tx, event);
    await applyCancellations(ctx, tx, event);
  }
  if (ids.length) ctx.wake();
  return ids;
}

async function startTriggeredRuns(ctx: ExecutorContext, tx: TxSql, event: StoredEvent, eventId: string): Promise<void> {
  for (const { fn, expression } of ctx.registry.triggeredBy(event.name)) {
    if (!matchesCel(expression, { event })) continue;
    const config = fn.config as { debounce?: DebounceConfig; batchEvents?: BatchConfig };
    if (config.debounce?.period) await debounceEvent(tx, fn, config.debounce, event, eventId);
    else if (config.batchEvents?.maxSize) await batchEvent(ctx, tx, fn, config.batchEvents, event, eventId);
    else await createRun(ctx, tx, { fn, event, eventId });
  }
}

/**
 * waitForEvent: `if` is CEL over `event` (the run's trigger) and `async` (the incoming event).
 * Pauses are matched first and only the matching ones are taken, by deleting them: locking every
 * pause of a name up front (SKIP LOCKED) let two events arriving together hide pauses from each other.
 */
async function resumePauses(ctx: ExecutorContext, tx: TxSql, event: StoredEvent): Promise<void> {
  const pauses = await tx<{ id: string; run_id: string; step_hash: string; condition: string | null; event: Record<string, unknown> }[]>`
    select p.id, p.run_id, p.step_hash, p.condition, r.event from executor_pauses p join executor_runs r on r.id = p.run_id
    where p.event_name = ${event.name} and p.expires_at > now()`;
  // Run row first, then its pause, in one order: the order a finishing run takes them, so no deadlock.
  const key = (p: { run_id: string; id: string }) => `${p.run_id}:${p.id}`;
  const matching = pauses.filter((p) => matchesCel(p.condition, { event: p.event, async: event })).sort((a, b) => (key(a) < key(b) ? -1 : 1));
  for (const pause of matching) {
    await lockRun(tx, pause.run_id);
    const taken = await tx`delete from executor_pauses where id = ${pause.id} returning id`;
    if (taken.length === 0) continue; // another event resumed it first
    await tx`delete from executor_queue where run_id = ${pause.run_id} and kind = 'wait_timeout' and payload->>'pauseId' = ${pause.id}`;
    await resolveStep(ctx, tx, pause.run_id, { hash: pause.step_hash, op: "WaitForEvent" }, { type: "data", data: event });
  }
}

const CANCEL_PAGE = 500;

/** cancelOn: reads the function's active runs a page at a time (keyset on id), so memory stays bounded. */
async function applyCancellations(ctx: ExecutorContext, tx: TxSql, event: StoredEvent): Promise<void> {
  for (const { fn, cancel } of ctx.registry.cancellableBy(event.name)) {
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

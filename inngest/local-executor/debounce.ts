import type { QueueItem } from "./apply";
import { evaluateCel } from "./cel";
import type { ExecutorContext } from "./context";
import { toJson, type TxSql } from "./db";
import type { RegisteredFunction } from "./registry";
import { createRun } from "./runs";
import { parseDelayMs } from "./time";

export type DebounceConfig = { key?: string; period: string | number; timeout?: string | number };

function keyOf(expr: string | undefined, event: Record<string, unknown>): string {
  if (!expr) return "";
  const value = evaluateCel(expr, { event });
  return value === undefined || value === null ? "" : String(value);
}

/**
 * Debounce: the event replaces the key's pending one and pushes its start back to now + period,
 * never past the first event + timeout. The row lock of the upsert orders concurrent events of a key.
 */
export async function debounceEvent(tx: TxSql, fn: RegisteredFunction, config: DebounceConfig, event: Record<string, unknown>, eventId: string): Promise<void> {
  const periodMs = Math.max(1, parseDelayMs(config.period, 0));
  const timeoutMs = config.timeout ? parseDelayMs(config.timeout, 0) : 0;
  const [row] = await tx<{ id: string }[]>`
    insert into executor_debounces (function_id, key, event, event_id, fire_at)
    values (${fn.id}, ${keyOf(config.key, event)}, ${toJson(event)}::jsonb, ${eventId}, now() + ${periodMs} * interval '1 millisecond')
    on conflict (function_id, key) do update set event = excluded.event, event_id = excluded.event_id,
      fire_at = case when ${timeoutMs} > 0 then least(excluded.fire_at, executor_debounces.started_at + ${timeoutMs} * interval '1 millisecond')
                     else excluded.fire_at end
    returning id`;
  if (!row) throw new Error("debounce upsert returned no row");
  const moved = await tx`
    update executor_queue q set run_at = d.fire_at, sort_at = d.fire_at from executor_debounces d
    where d.id = ${row.id} and q.run_id = d.id and q.kind = 'debounce' returning q.id`;
  if (moved.length === 0) {
    await tx`insert into executor_queue (run_id, kind, run_at, sort_at) select id, 'debounce', fire_at, fire_at from executor_debounces where id = ${row.id}`;
  }
}

/** A debounce item is due: start the run with the latest event, unless a later event moved it on. */
export async function fireDebounce(ctx: ExecutorContext, item: QueueItem): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    const [pending] = await tx<{ id: string; function_id: string; event: Record<string, unknown>; event_id: string | null; due: boolean }[]>`
      select id, function_id, event, event_id, fire_at <= now() as due from executor_debounces where id = ${item.run_id} for update`;
    if (pending && !pending.due) {
      await tx`update executor_queue q set run_at = d.fire_at, sort_at = d.fire_at, locked_by = null, locked_at = null, lease_until = null
               from executor_debounces d where d.id = ${pending.id} and q.id = ${item.id}`;
      return;
    }
    await tx`delete from executor_queue where id = ${item.id}`;
    if (!pending) return;
    await tx`delete from executor_debounces where id = ${pending.id}`;
    const fn = await ctx.registry.get(pending.function_id);
    if (!fn) {
      ctx.logger.warn({ functionId: pending.function_id }, "debounced run dropped: function no longer registered");
      return;
    }
    await createRun(ctx, tx, { fn, event: pending.event, eventId: pending.event_id });
  });
  ctx.wake();
}

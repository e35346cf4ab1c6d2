import type { QueueItem } from "./apply";
import { evaluateCel, matchesCel } from "./cel";
import type { ExecutorContext } from "./context";
import { toJson, type TxSql } from "./db";
import type { RegisteredFunction } from "./registry";
import { createRun } from "./runs";
import { parseDelayMs } from "./time";

export type BatchConfig = { maxSize: number; timeout: string | number; key?: string; if?: string };

type OpenBatch = { id: string; function_id: string; events: Record<string, unknown>[]; first_event_id: string | null };

async function startBatchRun(ctx: ExecutorContext, tx: TxSql, batch: OpenBatch): Promise<void> {
  const fn = await ctx.registry.get(batch.function_id);
  const [first] = batch.events;
  if (!fn || !first) {
    ctx.logger.warn({ functionId: batch.function_id, events: batch.events.length }, "event batch dropped: function no longer registered");
    return;
  }
  await createRun(ctx, tx, { fn, event: first, eventId: batch.first_event_id, events: batch.events });
}

/**
 * batchEvents: appends the event to its key's open batch (opening one, with a timer, on the first
 * event) and starts the run once the batch holds maxSize events. An event failing `if` runs alone.
 */
export async function batchEvent(ctx: ExecutorContext, tx: TxSql, fn: RegisteredFunction, config: BatchConfig, event: Record<string, unknown>, eventId: string): Promise<void> {
  const maxSize = Math.max(1, Math.trunc(Number(config.maxSize) || 1));
  if (!matchesCel(config.if, { event }) || maxSize === 1) {
    await createRun(ctx, tx, { fn, event, eventId, events: [event] });
    return;
  }
  const keyValue = config.key ? evaluateCel(config.key, { event }) : "";
  const key = keyValue === undefined || keyValue === null ? "" : String(keyValue);
  const [row] = await tx<(OpenBatch & { size: number; opened: boolean })[]>`
    insert into executor_batches (function_id, key, events, size, first_event_id)
    values (${fn.id}, ${key}, ${toJson([event])}::jsonb, 1, ${eventId})
    on conflict (function_id, key) do update set events = executor_batches.events || excluded.events, size = executor_batches.size + 1
    returning id, function_id, size, first_event_id, (xmax = 0) as opened,
      case when size >= ${maxSize} then events else '[]'::jsonb end as events`;
  if (!row) throw new Error("batch upsert returned no row");
  if (row.size >= maxSize) {
    await tx`delete from executor_batches where id = ${row.id}`;
    await tx`delete from executor_queue where run_id = ${row.id} and kind = 'batch'`;
    await startBatchRun(ctx, tx, row);
    return;
  }
  if (row.opened) {
    const ms = parseDelayMs(config.timeout, 0);
    await tx`insert into executor_queue (run_id, kind, run_at, sort_at)
             values (${row.id}, 'batch', now() + ${ms} * interval '1 millisecond', now() + ${ms} * interval '1 millisecond')`;
  }
}

/** A batch's timeout came: start its run with the events it holds (fewer than maxSize). */
export async function flushBatch(ctx: ExecutorContext, item: QueueItem): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    // Batch row first, queue item second: the order an event filling the batch takes them in.
    const [batch] = await tx<OpenBatch[]>`delete from executor_batches where id = ${item.run_id} returning id, function_id, events, first_event_id`;
    await tx`delete from executor_queue where id = ${item.id}`;
    if (batch) await startBatchRun(ctx, tx, batch);
  });
  ctx.wake();
}

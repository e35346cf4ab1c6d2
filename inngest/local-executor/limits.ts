import { evaluateCel } from "./cel";
import type { TxSql } from "./db";
import type { RegisteredFunction } from "./registry";
import { parseDelayMs } from "./time";

/**
 * rateLimit and throttle over fixed windows of `period`: a run takes one of `limit` slots of a
 * window, held as a row in executor_idempotency that expires with the window. An approximation of
 * Inngest's GCRA, exact in the number of runs per window.
 */
async function takeSlot(tx: TxSql, scope: string, windowIndex: number, limit: number, runId: string, expiresAt: Date): Promise<boolean> {
  const prefix = `${windowIndex}:`;
  // Two events racing for the same free slot: the loser conflicts and tries the next one.
  for (let tries = 0; tries < 3; tries++) {
    const rows = await tx`
      insert into executor_idempotency (function_id, key, run_id, expires_at)
      select ${scope}, ${prefix} || g, ${runId}, ${expiresAt.toISOString()}::timestamptz
      from generate_series(0, ${limit - 1}::int) g
      where not exists (select 1 from executor_idempotency i where i.function_id = ${scope} and i.key = ${prefix} || g)
      order by g limit 1
      on conflict do nothing
      returning key`;
    if (rows.length) return true;
    const full = await tx`select count(*)::int as n from executor_idempotency where function_id = ${scope} and key like ${prefix + "%"}`;
    if ((full[0]?.n ?? 0) >= limit) return false;
  }
  return false;
}

function keyOf(expr: string | undefined, event: Record<string, unknown>): string {
  if (!expr) return "";
  const value = evaluateCel(expr, { event });
  return value === undefined ? "" : String(value);
}

/** rateLimit: false when the window's runs are used up (the event then starts no run). */
export async function withinRateLimit(tx: TxSql, fn: RegisteredFunction, event: Record<string, unknown>, runId: string): Promise<boolean> {
  const rl = fn.config.rateLimit;
  const periodMs = rl ? parseDelayMs(rl.period, 0) : 0;
  if (!rl || !rl.limit || periodMs <= 0) return true;
  const now = Date.now();
  const w = Math.floor(now / periodMs);
  return takeSlot(tx, `rate:${fn.id}:${keyOf(rl.key, event)}`, w, rl.limit, runId, new Date((w + 1) * periodMs));
}

/** throttle: when the run may start, the first window with a free slot (burst adds slots); null = now. */
export async function throttleStartAt(tx: TxSql, fn: RegisteredFunction, event: Record<string, unknown>, runId: string): Promise<Date | null> {
  const th = fn.config.throttle;
  const periodMs = th ? parseDelayMs(th.period, 0) : 0;
  if (!th || !th.limit || periodMs <= 0) return null;
  const scope = `throttle:${fn.id}:${keyOf(th.key, event)}`;
  const limit = th.limit + Math.max(0, th.burst ?? 0);
  const now = Date.now();
  const first = Math.floor(now / periodMs);
  for (let w = first; w < first + 10_000; w++) {
    if (await takeSlot(tx, scope, w, limit, runId, new Date((w + 1) * periodMs))) return w === first ? null : new Date(w * periodMs);
  }
  return new Date((first + 10_000) * periodMs);
}

import { randomInt } from "node:crypto";
import type { QueueItem } from "./apply";
import type { ExecutorContext } from "./context";
import { DEFERRED_KINDS, workDeferred } from "./deferred";
import { expireWait, finishSleep, runCalls } from "./execute";
import { purgeOldRuns } from "./retention";
import { cancelTimedOutRuns } from "./timeouts";
import { fireDueCrons } from "./triggers";

const CLAIM_LOCK = 7_316_401;

export type WorkerOptions = { lanes: number; pollMs: number; housekeepingMs: number; retentionDays: number; leaseMs: number; stopGraceMs: number };

const REGISTRY_REFRESH_MS = 10_000;
const RETENTION_EVERY_MS = 10 * 60_000;

/**
 * Claims due queue items and works them on `lanes` concurrent lanes. A claim is a lease: the
 * heartbeat extends it for the items in flight; when a worker dies or loses the database, its
 * leases run out and any live worker takes the items back. A step in flight may then run twice
 * (at-least-once, as on Inngest); a memoized step never does.
 */
export class Worker {
  readonly workerId = randomInt(1, 2 ** 31 - 1);
  private readonly inFlight = new Map<number, QueueItem>();
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private loopDone: Promise<void> = Promise.resolve();
  private housekeeping: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** When the leases of the items in flight were last extended (or first taken). */
  private leaseRenewedAt = Date.now();
  private idle: (() => void) | null = null;
  private registryAt = Date.now();
  private retentionAt = 0;

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly opts: WorkerOptions,
  ) {}

  async start(): Promise<void> {
    await this.reclaimExpired();
    this.loopDone = this.loop();
    this.housekeeping = setInterval(() => void this.housekeep(), this.opts.housekeepingMs);
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(50, Math.floor(this.opts.leaseMs / 3)));
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming, then waits up to stopGraceMs for calls in flight. What is still in flight then
   * keeps its lease, which runs out on its own: releasing it early would let a step run twice.
   */
  async stop(graceMs = this.opts.stopGraceMs): Promise<void> {
    this.stopped = true;
    if (this.housekeeping) clearInterval(this.housekeeping);
    this.wake();
    await this.loopDone;
    if (this.inFlight.size > 0) {
      const drained = new Promise<void>((r) => (this.idle = r));
      await Promise.race([drained, new Promise((r) => setTimeout(r, graceMs).unref())]);
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
    const held = [...this.inFlight.keys()];
    await this.ctx.sql`
      update executor_queue set locked_by = null, locked_at = null, lease_until = null
      where locked_by = ${this.workerId} and id <> all(${held}::bigint[])`.catch(() => undefined);
    if (held.length) this.ctx.logger.warn({ items: held.length }, "stopped with calls in flight; their leases run out and another executor takes them");
  }

  /** False once the leases may have run out (the heartbeat could not reach the database): stop working. */
  private holdsLeases(): boolean {
    return Date.now() - this.leaseRenewedAt < this.opts.leaseMs * 0.8;
  }

  private async renewLeases(): Promise<void> {
    const ids = [...this.inFlight.keys()];
    const at = Date.now();
    if (ids.length === 0) {
      this.leaseRenewedAt = at;
      return;
    }
    try {
      await this.ctx.sql`
        update executor_queue set lease_until = now() + ${this.opts.leaseMs} * interval '1 millisecond'
        where id = any(${ids}::bigint[]) and locked_by = ${this.workerId}`;
      this.leaseRenewedAt = at;
    } catch (e) {
      this.ctx.logger.warn({ err: e }, "lease heartbeat failed; retrying");
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const free = this.opts.lanes - this.inFlight.size;
      let claimed = 0;
      if (free > 0 && this.holdsLeases()) {
        try {
          const items = await this.claim(free);
          claimed = items.length;
          for (const item of items) this.launch(item);
        } catch (e) {
          this.ctx.logger.error({ err: e }, "claiming work failed");
        }
      }
      if (this.stopped) break;
      if (claimed === 0 || claimed === free) await this.waitForWake(claimed === 0 ? this.opts.pollMs : 1000);
    }
  }

  private waitForWake(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private launch(item: QueueItem): void {
    this.inFlight.set(item.id, item);
    void this.work(item).finally(() => {
      this.inFlight.delete(item.id);
      if (this.inFlight.size === 0) this.idle?.();
      this.wake();
    });
  }

  private async work(item: QueueItem): Promise<void> {
    try {
      if (item.kind === "sleep") await finishSleep(this.ctx, item);
      else if (item.kind === "wait_timeout") await expireWait(this.ctx, item);
      else if (DEFERRED_KINDS.has(item.kind)) await workDeferred(this.ctx, item);
      else await runCalls(this.ctx, item, () => this.stopped || !this.holdsLeases());
    } catch (e) {
      this.ctx.logger.error({ err: e, runId: item.run_id, itemId: item.id }, "work item failed; it will be retried");
      await this.ctx.sql`
        update executor_queue set locked_by = null, locked_at = null, lease_until = null, run_at = now() + interval '1 second'
        where id = ${item.id} and locked_by = ${this.workerId}`.catch(() => undefined);
    }
  }

  /**
   * Claims up to `n` due items by sort order (run_at less priority), skipping any whose concurrency
   * key already has `limit` items executing. The advisory lock makes the slot count exact across executors.
   */
  private async claim(n: number): Promise<QueueItem[]> {
    const window = n + 200;
    const results = await this.ctx.sql.begin((tx) => [
      tx`select pg_advisory_xact_lock(${CLAIM_LOCK}::int, 0)`,
      tx<QueueItem[]>`
        with cand as (
          select id, sort_at, concurrency_keys, concurrency_limits from executor_queue
          where locked_by is null and run_at <= now()
          order by sort_at, id limit ${window}
          for update skip locked
        ), keyed as (
          select c.id, c.sort_at, u.k, u.lim from cand c, unnest(c.concurrency_keys, c.concurrency_limits) as u(k, lim)
        ), inflight as (
          select k, count(*)::int as c from executor_queue q, unnest(q.concurrency_keys) as k
          where q.locked_by is not null and k in (select k from keyed) group by k
        ), ranked as (
          select id, k, lim, row_number() over (partition by k order by sort_at, id) as rn from keyed
        ), blocked as (
          select distinct r.id from ranked r left join inflight i on i.k = r.k where coalesce(i.c, 0) + r.rn > r.lim
        ), chosen as (
          select id from cand where id not in (select id from blocked) order by sort_at, id limit ${n}
        )
        update executor_queue q set locked_by = ${this.workerId}, locked_at = now(), lease_until = now() + ${this.opts.leaseMs} * interval '1 millisecond'
        from chosen where q.id = chosen.id
        returning q.id, q.run_id, q.kind, q.step_hash, q.attempt, q.payload, q.locked_by`,
    ]);
    return (results[1] ?? []) as unknown as QueueItem[];
  }

  /** Items whose lease ran out (their worker died, hung or lost the database) become claimable again. */
  private async reclaimExpired(): Promise<void> {
    const rows = await this.ctx.sql`
      update executor_queue set locked_by = null, locked_at = null, lease_until = null
      where locked_by is not null and (lease_until is null or lease_until < now())
      returning id`;
    if (rows.length) {
      this.ctx.logger.warn({ items: rows.length }, "took back work whose executor stopped renewing its lease");
      this.wake();
    }
  }

  private async housekeep(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.reclaimExpired();
      while ((await fireDueCrons(this.ctx)) > 0 && !this.stopped);
      await this.ctx.sql`delete from executor_idempotency where expires_at < now()`;
      await cancelTimedOutRuns(this.ctx);
      // Another executor process may have synced the app: pick up its functions and triggers.
      if (Date.now() - this.registryAt > REGISTRY_REFRESH_MS) {
        this.registryAt = Date.now();
        await this.ctx.registry.reload();
      }
      if (Date.now() - this.retentionAt > RETENTION_EVERY_MS) {
        this.retentionAt = Date.now();
        await purgeOldRuns(this.ctx, this.opts.retentionDays);
      }
    } catch (e) {
      this.ctx.logger.error({ err: e }, "executor housekeeping failed");
    }
  }
}

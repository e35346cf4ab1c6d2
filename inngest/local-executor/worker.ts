import { randomInt } from "node:crypto";
import type postgres from "postgres";
import type { QueueItem } from "./apply";
import type { ExecutorContext } from "./context";
import { expireWait, finishSleep, runCalls } from "./execute";
import { purgeOldRuns } from "./retention";
import { cancelTimedOutRuns } from "./timeouts";
import { fireDueCrons } from "./triggers";

/** Advisory-lock namespace: a worker holds (LIVENESS_CLASS, workerId) while its process lives. */
const LIVENESS_CLASS = 7_316_400;
const CLAIM_LOCK = 7_316_401;

export type WorkerOptions = { lanes: number; pollMs: number; housekeepingMs: number; retentionDays: number };

const REGISTRY_REFRESH_MS = 10_000;
const RETENTION_EVERY_MS = 10 * 60_000;

/**
 * Claims due queue items and works them on `lanes` concurrent lanes. Items it holds carry its id;
 * when its process dies, PostgreSQL drops its advisory lock and any live worker takes them back.
 */
export class Worker {
  readonly workerId = randomInt(1, 2 ** 31 - 1);
  private busy = 0;
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private lockConn: postgres.ReservedSql | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private housekeeping: NodeJS.Timeout | null = null;
  private idle: (() => void) | null = null;
  private registryAt = Date.now();
  private retentionAt = 0;

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly opts: WorkerOptions,
  ) {}

  async start(): Promise<void> {
    this.lockConn = await this.ctx.sql.reserve();
    await this.lockConn`select pg_advisory_lock(${LIVENESS_CLASS}::int, ${this.workerId}::int)`;
    await this.reclaimOrphans();
    this.loopDone = this.loop();
    this.housekeeping = setInterval(() => void this.housekeep(), this.opts.housekeepingMs);
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(timeoutMs = 15_000): Promise<void> {
    this.stopped = true;
    if (this.housekeeping) clearInterval(this.housekeeping);
    this.wake();
    await this.loopDone;
    if (this.busy > 0) {
      await Promise.race([new Promise<void>((r) => (this.idle = r)), new Promise((r) => setTimeout(r, timeoutMs))]);
    }
    await this.ctx.sql`update executor_queue set locked_by = null, locked_at = null where locked_by = ${this.workerId}`.catch(() => undefined);
    if (this.lockConn) {
      await this.lockConn`select pg_advisory_unlock(${LIVENESS_CLASS}::int, ${this.workerId}::int)`.catch(() => undefined);
      this.lockConn.release();
      this.lockConn = null;
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const free = this.opts.lanes - this.busy;
      let claimed = 0;
      if (free > 0) {
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
    this.busy++;
    void this.work(item).finally(() => {
      this.busy--;
      if (this.busy === 0) this.idle?.();
      this.wake();
    });
  }

  private async work(item: QueueItem): Promise<void> {
    try {
      if (item.kind === "sleep") await finishSleep(this.ctx, item);
      else if (item.kind === "wait_timeout") await expireWait(this.ctx, item);
      else await runCalls(this.ctx, item, () => this.stopped);
    } catch (e) {
      this.ctx.logger.error({ err: e, runId: item.run_id, itemId: item.id }, "work item failed; it will be retried");
      await this.ctx.sql`
        update executor_queue set locked_by = null, locked_at = null, run_at = now() + interval '1 second'
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
        update executor_queue q set locked_by = ${this.workerId}, locked_at = now()
        from chosen where q.id = chosen.id
        returning q.id, q.run_id, q.kind, q.step_hash, q.attempt, q.payload`,
    ]);
    return (results[1] ?? []) as unknown as QueueItem[];
  }

  /** Items held by workers whose process is gone (their advisory lock vanished) become claimable again. */
  private async reclaimOrphans(): Promise<void> {
    const rows = await this.ctx.sql`
      update executor_queue q set locked_by = null, locked_at = null
      where q.locked_by is not null and not exists (
        select 1 from pg_locks l
        where l.locktype = 'advisory' and l.granted and l.classid = ${LIVENESS_CLASS}::int::oid
          and l.objid = q.locked_by::oid and l.objsubid = 2
          and l.database = (select oid from pg_database where datname = current_database()))
      returning q.id`;
    if (rows.length) {
      this.ctx.logger.warn({ items: rows.length }, "took back work from an executor that stopped");
      this.wake();
    }
  }

  private async housekeep(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.reclaimOrphans();
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

import type { ExecutorContext } from "./context";

const BATCH = 1000;

/** Deletes finished runs (with their steps) and unreferenced events older than the retention window, in batches. */
export async function purgeOldRuns(ctx: ExecutorContext, retentionDays: number): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await ctx.sql<{ n: number }[]>`
      with old as (
        select id from executor_runs
        where ended_at < now() - make_interval(days => ${retentionDays}) and status in ('completed', 'failed', 'cancelled')
        limit ${BATCH}
      ), steps as (
        delete from executor_steps where run_id in (select id from old)
      ), runs as (
        delete from executor_runs where id in (select id from old) returning 1
      ) select count(*)::int as n from runs`;
    const n = row?.n ?? 0;
    total += n;
    if (n < BATCH) break;
  }
  await ctx.sql`
    delete from executor_events e
    where e.id in (
      select id from executor_events where received_at < now() - make_interval(days => ${retentionDays}) limit ${BATCH * 10})
      and not exists (select 1 from executor_runs r where r.event_id = e.id)`;
  if (total) ctx.logger.info({ runs: total, retentionDays }, "purged old executor runs");
  return total;
}


import type { ExecutorContext } from "./context";
import { cancelRun } from "./runs";
import { parseDelayMs } from "./time";

/** Function `timeouts`: cancels runs not started within `start` or not finished within `finish` of starting. */
export async function cancelTimedOutRuns(ctx: ExecutorContext): Promise<number> {
  let cancelled = 0;
  for (const fn of ctx.registry.all()) {
    const { start, finish } = fn.config.timeouts ?? {};
    const startMs = start ? parseDelayMs(start, 0) : 0;
    const finishMs = finish ? parseDelayMs(finish, 0) : 0;
    if (!startMs && !finishMs) continue;
    const late = await ctx.sql<{ id: string; reason: string }[]>`
      select id, case when started_at is null then 'start' else 'finish' end as reason from executor_runs
      where function_id = ${fn.id} and status in ('queued', 'running', 'sleeping', 'waiting')
        and ((${startMs} > 0 and started_at is null and created_at < now() - ${startMs} * interval '1 millisecond')
          or (${finishMs} > 0 and started_at < now() - ${finishMs} * interval '1 millisecond'))
      limit 100`;
    for (const run of late) {
      const ok = await ctx.sql.begin((tx) => cancelRun(ctx, tx, run.id, `timed out: did not ${run.reason} within ${run.reason === "start" ? start : finish}`));
      if (ok) cancelled++;
    }
  }
  return cancelled;
}

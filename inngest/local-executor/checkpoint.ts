import type { Memo, SdkOp } from "./call";
import type { ExecutorContext } from "./context";
import { toJson } from "./db";
import { failRun, lockRun, type StepInfo } from "./runs";
import { stepLimitError } from "./usage-limits";

/** `POST /v1/checkpoint/:runId/async`, as the SDK sends it (shared/notes/wire-capture.txt); qi_id is `<queue item>.<worker>`. */
export type CheckpointBody = { run_id?: string; fn_id?: string; qi_id?: string; steps?: SdkOp[] };

/** `stale`: the call that sent it no longer owns the run (cancelled, finished, lease lost); the SDK stops. */
export type CheckpointOutcome = "stored" | "stale";

export function stepOf(op: SdkOp): StepInfo {
  return { hash: op.id, stepId: op.userland?.id ?? op.displayName ?? null, name: op.displayName ?? op.name ?? null, op: op.op };
}

/**
 * Inngest's async checkpointing: the SDK runs a run's steps back to back in one call and reports
 * each finished step here before it goes on, instead of answering 206 once per step. Each step is
 * memoized as a 206 would be, under the same limits; a step past a limit fails the run.
 */
export async function storeCheckpoint(ctx: ExecutorContext, runId: string, body: CheckpointBody): Promise<CheckpointOutcome> {
  const [itemId = NaN, workerId = NaN] = String(body.qi_id ?? "").split(".").map(Number);
  if (!Number.isSafeInteger(itemId) || !Number.isSafeInteger(workerId) || !Array.isArray(body.steps)) return "stale";
  for (const op of body.steps) {
    // Only finished steps are checkpointed; errors, sleeps and waits come back in the call's answer.
    if (!op || typeof op.id !== "string" || op.op !== "StepRun") continue;
    const memo: Memo = { type: "data", data: op.data ?? null };
    const memoJson = toJson(memo);
    const bytes = Buffer.byteLength(memoJson);
    const step = stepOf(op);
    // One statement: checks the claim and the limits, and memoizes when both hold; the JS below only reads why not.
    const { maxStepOutputBytes, maxStepsPerRun, maxRunStateBytes } = ctx.limits;
    const [run] = await ctx.sql<{ status: string; step_count: number; state_bytes: string; owned: boolean; done: boolean; stored: number }[]>`
      with cur as (
        select r.status, r.step_count, r.state_bytes,
          exists (select 1 from executor_queue q where q.id = ${itemId} and q.run_id = r.id and q.locked_by = ${workerId}) as owned,
          exists (select 1 from executor_steps s where s.run_id = r.id and s.hash = ${op.id} and s.done) as done
        from executor_runs r where r.id = ${runId}
      ), r as (
        update executor_runs set step_count = step_count + 1, state_bytes = state_bytes + ${bytes},
          max_step_output_bytes = greatest(max_step_output_bytes, ${bytes}), updated_at = now()
        where id = ${runId} and status = 'running'
          and exists (select 1 from cur where owned and not done and ${bytes}::bigint <= ${maxStepOutputBytes}::bigint
                      and step_count + 1 <= ${maxStepsPerRun}::int and state_bytes + ${bytes}::bigint <= ${maxRunStateBytes}::bigint)
        returning step_count - 1 as pos
      ), s as (
        insert into executor_steps (run_id, hash, step_id, name, op, status, attempts, done, position, memo, ended_at)
        select ${runId}, ${op.id}, ${step.stepId ?? null}, ${step.name ?? null}, 'StepRun', 'completed', 1, true, r.pos, ${memoJson}::jsonb, now() from r
        on conflict (run_id, hash) do update set status = 'completed', done = true, position = excluded.position, memo = excluded.memo,
          attempts = executor_steps.attempts + 1, ended_at = now()
        returning 1
      )
      select cur.*, (select count(*) from s)::int as stored from cur`;
    if (!run || run.status !== "running" || !run.owned) return "stale";
    if (run.done) continue; // the SDK retried a checkpoint whose answer it missed
    if (run.stored !== 1) {
      const over = stepLimitError(ctx.limits, run, bytes, step.stepId);
      if (!over) return "stale"; // the run changed under the statement (cancelled, ended)
      await ctx.sql.begin(async (tx) => {
        const locked = await lockRun(tx, runId);
        if (locked?.status === "running") await failRun(ctx, tx, locked, over);
      });
      return "stale";
    }
    // The step limit is per step: the next one starts now. (A checkpoint that reaches another
    // executor can't restart it, so there a call's earlier steps, at most the SDK's 10 s, count too.)
    ctx.checkpointingCalls.get(String(body.qi_id))?.();
  }
  return "stored";
}

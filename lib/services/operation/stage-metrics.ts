import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { operationMetrics, operationStageMetrics } from "@/db/schema/operations";
import type { StageTally } from "@/lib/observability/stage-tally";

/**
 * Adds a batch's tally to the operation's figures: one upsert for its stages, one for its
 * counters. Called inside the transaction that commits the batch's work, so the figures and the
 * work land together or not at all. `replace`: for a stage that runs once per operation (validate,
 * switch), whose step may repeat with nothing to tie it to: the last run's figures stand (counters
 * still add). Empties the tally.
 */
export async function recordStageTally(db: Executor, operationId: string, tally: StageTally, opts: { replace?: boolean } = {}): Promise<void> {
  if (tally.empty) return;
  const stages = [...tally.stages].map(([stage, f]) => ({ operationId, stage, totalMs: f.ms, calls: f.calls, items: f.items }));
  const c = tally.totals();
  tally.reset();
  const s = operationStageMetrics;
  if (stages.length) {
    await db
      .insert(s)
      .values(stages)
      .onConflictDoUpdate({
        target: [s.operationId, s.stage],
        set: opts.replace
          ? { totalMs: sql`excluded.total_ms`, calls: sql`excluded.calls`, items: sql`excluded.items` }
          : { totalMs: sql`${s.totalMs} + excluded.total_ms`, calls: sql`${s.calls} + excluded.calls`, items: sql`${s.items} + excluded.items` },
      });
  }
  if (c.bytesRead || c.bytesWritten || c.embeddingCalls || c.embeddingTokens) {
    const m = operationMetrics;
    await db
      .insert(m)
      .values({ operationId, ...c })
      .onConflictDoUpdate({
        target: m.operationId,
        set: {
          bytesRead: sql`${m.bytesRead} + excluded.bytes_read`,
          bytesWritten: sql`${m.bytesWritten} + excluded.bytes_written`,
          embeddingCalls: sql`${m.embeddingCalls} + excluded.embedding_calls`,
          embeddingTokens: sql`${m.embeddingTokens} + excluded.embedding_tokens`,
        },
      });
  }
}

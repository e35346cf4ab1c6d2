import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { StageTally } from "@/lib/observability/stage-tally";

/**
 * Adds a batch's tally to the operation's figures in one statement: its stages upserted into
 * operation_stage_metrics and its counters into operation_metrics. Called inside the transaction
 * that commits the batch's work, so the figures and the work land together or not at all.
 * `replace`: for a stage that runs once per operation (validate, switch, a restore's load), whose
 * step may repeat with nothing to tie it to: the last run's figures stand (counters still add).
 * Empties the tally.
 */
export async function recordStageTally(db: Executor, operationId: string, tally: StageTally, opts: { replace?: boolean } = {}): Promise<void> {
  if (tally.empty) return;
  const stages = [...tally.stages];
  const c = tally.totals();
  tally.reset();
  const set = opts.replace
    ? sql`total_ms = excluded.total_ms, calls = excluded.calls, items = excluded.items`
    : sql`total_ms = s.total_ms + excluded.total_ms, calls = s.calls + excluded.calls, items = s.items + excluded.items`;
  const stageRows = sql.join(
    stages.map(([stage, f]) => sql`(${operationId}::uuid, ${stage}, ${f.ms}::double precision, ${f.calls}::bigint, ${f.items}::bigint)`),
    sql`, `,
  );
  const stageUpsert = stages.length
    ? sql`with staged as (insert into operation_stage_metrics as s (operation_id, stage, total_ms, calls, items) values ${stageRows} on conflict (operation_id, stage) do update set ${set}) `
    : sql``;
  await db.execute(sql`${stageUpsert}insert into operation_metrics as m (operation_id, bytes_read, bytes_written, embedding_calls, embedding_tokens)
    values (${operationId}::uuid, ${c.bytesRead}, ${c.bytesWritten}, ${c.embeddingCalls}, ${c.embeddingTokens})
    on conflict (operation_id) do update set bytes_read = m.bytes_read + excluded.bytes_read, bytes_written = m.bytes_written + excluded.bytes_written,
      embedding_calls = m.embedding_calls + excluded.embedding_calls, embedding_tokens = m.embedding_tokens + excluded.embedding_tokens`);
}

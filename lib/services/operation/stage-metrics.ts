import { is } from "drizzle-orm";
import { PostgresJsSession } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { getDb, type Executor } from "@/db/client";
import type { OperationStage } from "@/db/schema/operations";
import { StageTally } from "@/lib/observability/stage-tally";

/**
 * The postgres.js handle under a drizzle database or transaction: recordStageTally runs once per
 * batch, and only postgres.js prepares a statement (drizzle's execute() plans it anew each time,
 * which was most of its cost). The session is drizzle's public API; a driver change fails here, loudly.
 * `is`, not instanceof: the Next build can hold drizzle's classes twice (instanceof failed there, every batch).
 */
function clientOf(db: Executor): postgres.Sql {
  const session: unknown = db._.session;
  if (!is(session, PostgresJsSession)) throw new Error("recordStageTally needs a postgres.js drizzle database or transaction");
  return session.client as postgres.Sql;
}

/**
 * Adds a batch's tally to the operation's figures in one prepared statement: its stages upserted
 * into operation_stage_metrics (as arrays, so the statement's text never changes) and its counters
 * into operation_metrics. Called inside the transaction that commits the batch's work, so the
 * figures and the work land together or not at all. `replace`: for a stage that runs once per
 * operation (validate, switch, a restore's load, a clear), whose step may repeat with nothing to
 * tie it to: the last run's figures stand (counters still add). Empties the tally.
 */
export async function recordStageTally(db: Executor, operationId: string, tally: StageTally, opts: { replace?: boolean } = {}): Promise<void> {
  if (tally.empty) return;
  const stages = [...tally.stages];
  const c = tally.totals();
  tally.reset();
  const sql = clientOf(db);
  const names = stages.map(([stage]) => stage);
  const ms = stages.map(([, f]) => f.ms);
  const calls = stages.map(([, f]) => f.calls);
  const items = stages.map(([, f]) => f.items);
  const counters = [operationId, c.bytesRead, c.bytesWritten, c.embeddingCalls, c.embeddingTokens] as const;
  if (opts.replace) {
    await sql`with staged as (insert into operation_stage_metrics as s (operation_id, stage, total_ms, calls, items)
        select ${operationId}::uuid, v.* from unnest(${names}::text[], ${ms}::float8[], ${calls}::bigint[], ${items}::bigint[]) as v
        on conflict (operation_id, stage) do update set total_ms = excluded.total_ms, calls = excluded.calls, items = excluded.items)
      insert into operation_metrics as m (operation_id, bytes_read, bytes_written, embedding_calls, embedding_tokens)
      values (${counters[0]}::uuid, ${counters[1]}, ${counters[2]}, ${counters[3]}, ${counters[4]})
      on conflict (operation_id) do update set bytes_read = m.bytes_read + excluded.bytes_read, bytes_written = m.bytes_written + excluded.bytes_written,
        embedding_calls = m.embedding_calls + excluded.embedding_calls, embedding_tokens = m.embedding_tokens + excluded.embedding_tokens`;
    return;
  }
  await sql`with staged as (insert into operation_stage_metrics as s (operation_id, stage, total_ms, calls, items)
      select ${operationId}::uuid, v.* from unnest(${names}::text[], ${ms}::float8[], ${calls}::bigint[], ${items}::bigint[]) as v
      on conflict (operation_id, stage) do update set total_ms = s.total_ms + excluded.total_ms, calls = s.calls + excluded.calls, items = s.items + excluded.items)
    insert into operation_metrics as m (operation_id, bytes_read, bytes_written, embedding_calls, embedding_tokens)
    values (${counters[0]}::uuid, ${counters[1]}, ${counters[2]}, ${counters[3]}, ${counters[4]})
    on conflict (operation_id) do update set bytes_read = m.bytes_read + excluded.bytes_read, bytes_written = m.bytes_written + excluded.bytes_written,
      embedding_calls = m.embedding_calls + excluded.embedding_calls, embedding_tokens = m.embedding_tokens + excluded.embedding_tokens`;
}

/**
 * Runs a once-per-operation stage's work (a rollback's validation or switch) and, when it succeeds,
 * records its time as that stage with `items(result)` handled; a repeated step replaces the figure.
 */
export async function timeOnceOnlyStage<T>(operationId: string, stage: OperationStage, items: (result: T) => number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  const tally = new StageTally();
  tally.add(stage, performance.now() - started, items(result));
  await recordStageTally(getDb(), operationId, tally, { replace: true });
  return result;
}

import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { EmbedderError, type Embedder } from "@/lib/embeddings/types";
import { formatCount } from "@/lib/format";
import { appendOperationLog, type LogLevel } from "@/lib/services/operation/progress";
import { permanentReason } from "./errors";
import { operationLogger, type OperationRef } from "./log";

/**
 * Routine lines (one per batch, each retry) an operation's log takes at most: a 10,000-document
 * INDEX in batches of 5 has 4,000 of them. Past the cap one line says so; the finish, the
 * breaker and requeues are always written, and the finish line has the totals.
 */
export const ROUTINE_LINES_CAP = 1000;

/** Operations whose log this process saw full: their further routine lines cost no query. */
const capped = new Set<string>();

/** Appends a routine line unless the operation's log already has `cap` lines; returns whether it did. */
export async function appendRoutineLog(operationId: string, level: LogLevel, message: string, fields?: Record<string, unknown>, cap = ROUTINE_LINES_CAP): Promise<boolean> {
  if (capped.has(operationId)) return false;
  const written = (await getDb().execute(sql`
    insert into operation_logs (operation_id, level, message, fields)
    select ${operationId}, ${level}, ${message}, ${fields ? JSON.stringify(fields) : null}::jsonb
    where (select count(*) from (select 1 from operation_logs where operation_id = ${operationId} limit ${cap}) l) < ${cap}
    returning id`)) as unknown as unknown[];
  if (written.length) return true;
  capped.add(operationId);
  if (capped.size > 1000) capped.delete(capped.values().next().value!);
  await getDb().execute(sql`
    insert into operation_logs (operation_id, level, message, fields)
    select ${operationId}, 'info', ${`The log holds ${formatCount(cap)} lines: further batch lines are left out (the finish line has the totals).`}, '{"event":"log_capped"}'::jsonb
    where not exists (select 1 from operation_logs where operation_id = ${operationId} and fields->>'event' = 'log_capped')`);
  return false;
}

/** "parse_unsupported 3, parse_empty 1": dead documents by reason, most frequent first. */
export function summariseReasons(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r} ${n}`)
    .join(", ");
}

/** A batch that found nothing to do (cancelled, or a re-run handing on what it had done) writes no line. */
export async function logParseBatch(ref: OperationRef, batch: string, outcome: { parsed: number; dead: string[] }): Promise<void> {
  if (outcome.parsed === 0 && outcome.dead.length === 0) return;
  const dead = outcome.dead.length ? `, ${outcome.dead.length} dead (${summariseReasons(outcome.dead)})` : "";
  await appendRoutineLog(ref.operationId, outcome.dead.length ? "warn" : "info", `Parse batch ${batch}: ${outcome.parsed} parsed${dead}.`, { batch, stage: "parse", parsed: outcome.parsed, dead: outcome.dead.length });
}

export async function logEmbedBatch(ref: OperationRef, batch: string, outcome: { stored: number; points: number; dead: number }): Promise<void> {
  if (outcome.stored === 0 && outcome.dead === 0) return;
  const dead = outcome.dead ? `, ${outcome.dead} dead (embed_rejected)` : "";
  await appendRoutineLog(ref.operationId, outcome.dead ? "warn" : "info", `Embed batch ${batch}: ${outcome.stored} document(s) stored, ${formatCount(outcome.points)} chunks${dead}.`, { batch, stage: "embed", ...outcome });
}

/**
 * Why an attempt failed, in words a client may read: an embedder error's own words up to the
 * upstream detail (after its first colon), a permanent reason, else "internal error".
 */
export function publicReason(err: unknown): string {
  if (err instanceof EmbedderError) return err.message.split(/[:;]/)[0]!.trim();
  return permanentReason(err) ?? "internal error (see the server log)";
}

/** Breaker refusals are not logged one by one: the breaker's own line says the batches wait. */
export const isBreakerRefusal = (err: unknown) => err instanceof EmbedderError && err.message.includes("circuit breaker open");

/**
 * A batch attempt failed and will run again (`attempt` is zero-based, as Inngest counts; `retryInMs`
 * when the run chose its delay). A failure to log never hides the batch's own error.
 */
export async function logBatchRetry(ref: OperationRef, at: { stage: "parse" | "embed"; batch: string; attempt: number; maxAttempts?: number; retryInMs?: number }, err: unknown): Promise<void> {
  const { stage, batch, attempt, maxAttempts, retryInMs } = at;
  operationLogger(ref).warn({ err, stage, batch, attempt }, "pipeline batch attempt failed; retrying");
  if (isBreakerRefusal(err)) return;
  const wait = retryInMs ? ` in ${Math.max(1, Math.round(retryInMs / 1000))} s` : "";
  const of = maxAttempts ? ` of ${maxAttempts}` : "";
  await appendRoutineLog(ref.operationId, "warn", `${stage === "parse" ? "Parse" : "Embed"} batch ${batch}: attempt ${attempt + 1}${of} failed (${publicReason(err)}); retrying${wait}.`, { batch, stage, attempt: attempt + 1, event: "retry" }).catch(
    (logErr: unknown) => void operationLogger(ref).warn({ err: logErr }, "retry not written to the operation log"),
  );
}

/** The batch ran out of attempts: its documents are failed and the follow loop requeues them. */
export async function logBatchGaveUp(ref: OperationRef, stage: "parse" | "embed", batch: string | undefined, documents: number): Promise<void> {
  await appendRoutineLog(ref.operationId, "error", `${stage === "parse" ? "Parse" : "Embed"} batch ${batch ?? "?"} gave up after its retries; ${documents} document(s) will be tried again later.`, { batch, stage, documents, event: "gave_up" });
}

/** Per operation, the breaker opening this process last logged (the breaker is per process, too). */
const breakerOpenLogged = new Map<string, string>();

/**
 * After an embed attempt: logs the embedder's breaker opening (once per opening) and, on the
 * first success after it, closing. Written whatever the cap, at most once per reset period.
 */
export async function noteBreaker(operationId: string, embedder: Embedder): Promise<void> {
  const state = embedder.state();
  const logged = breakerOpenLogged.get(operationId);
  if (state.breaker === "closed") {
    if (logged === undefined) return;
    breakerOpenLogged.delete(operationId);
    await appendOperationLog(operationId, "info", `Circuit breaker closed: ${state.model} answers again; embedding resumes.`, { event: "breaker_closed", model: state.model });
    return;
  }
  if (!state.openedAt || logged === state.openedAt) return;
  breakerOpenLogged.set(operationId, state.openedAt);
  if (breakerOpenLogged.size > 1000) breakerOpenLogged.delete(breakerOpenLogged.keys().next().value!);
  const why = state.lastError ? ` (${state.lastError.split(/[:;]/)[0]!.trim()})` : "";
  const retryAt = state.retryAt ? `; next trial at ${state.retryAt.slice(11, 19)} UTC` : "";
  await appendOperationLog(
    operationId,
    "warn",
    `Circuit breaker open: ${state.model} failed ${state.consecutiveFailures} time(s) in a row${why}. Embedding pauses; batches wait${retryAt}.`,
    { event: "breaker_open", model: state.model, openedAt: state.openedAt },
  );
}

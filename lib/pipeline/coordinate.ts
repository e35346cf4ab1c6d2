import { and, eq, notInArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents, type DocumentStage } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { documentsSettled, embedRequested, parseRequested } from "@/inngest/events";
import { inngest } from "@/inngest/client";
import { env } from "@/lib/env";
import { appendOperationLog, setOperationProgress } from "@/lib/services/operation/progress";
import { applyStageChanges } from "./stages";

const PARSE_STAGES: DocumentStage[] = ["uploaded", "parsing", "parsed", "validated"];
const MAX_ATTEMPTS = 5;

/**
 * Sends documents to a pipeline stage in events of STEVEDORE_PIPELINE_BATCH_SIZE. Event ids come
 * from `key`, so sending the same batches again (a step re-run after a crash) starts nothing twice.
 */
export async function dispatch(stage: "parse" | "embed", operationId: string, ids: string[], key: string): Promise<number> {
  const size = env().STEVEDORE_PIPELINE_BATCH_SIZE;
  const name = stage === "parse" ? parseRequested.name : embedRequested.name;
  const events = [];
  for (let i = 0; i < ids.length; i += size) {
    const batch = `${key}-${i / size}`;
    events.push({ id: `${operationId}:${stage}:${batch}`, name, data: { operationId, batch, documentIds: ids.slice(i, i + size) } });
  }
  for (let i = 0; i < events.length; i += 100) await inngest.send(events.slice(i, i + 100));
  return events.length;
}

/**
 * Tells the operation's follow loop (stevedore/pipeline.documents-settled) when none of its
 * documents is still on its way, so it finishes without waiting for its next poll.
 */
export async function announceIfSettled(operationId: string): Promise<void> {
  const [busy] = await getDb()
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.operationId, operationId), notInArray(documents.stage, ["complete", "dead"])))
    .limit(1);
  if (!busy) await inngest.send({ name: documentsSettled.name, data: { operationId } });
}

export type Progress = { total: number; done: number; complete: number; dead: number; active: number; cancelled: boolean };

/**
 * Publishes progress and requeues what is stuck: failed documents (with backoff, until
 * MAX_ATTEMPTS) and stalled ones (see requeueStuck).
 */
export async function checkProgress(operationId: string): Promise<Progress> {
  const { op, progress } = await publishProgress(operationId);
  const cancelled = !op || op.status === "cancelled" || op.status === "failed";
  if (!cancelled && progress.done < progress.total) await requeueStuck(operationId);
  return { ...progress, cancelled };
}

/** Counts this operation's documents by stage and publishes its progress, with rate and ETA. */
export async function publishProgress(operationId: string) {
  const db = getDb();
  const [op] = await db.select().from(operations).where(eq(operations.id, operationId));
  const counts = await db
    .select({ stage: documents.stage, n: sql<number>`count(*)::int`, chunks: sql<number>`coalesce(sum(${documents.chunkCount}), 0)::int` })
    .from(documents)
    .where(eq(documents.operationId, operationId))
    .groupBy(documents.stage);
  const of = (s: DocumentStage) => counts.find((c) => c.stage === s);
  const total = counts.reduce((a, c) => a + c.n, 0);
  const complete = of("complete")?.n ?? 0;
  const dead = of("dead")?.n ?? 0;
  const done = complete + dead;
  // A chunk count is this operation's once the document is parsed: chunked, or complete (duplicates count 0).
  const chunks = { done: of("complete")?.chunks ?? 0, total: (of("complete")?.chunks ?? 0) + (of("chunked")?.chunks ?? 0) };
  const elapsedS = op?.startedAt ? (Date.now() - op.startedAt.getTime()) / 1000 : 0;
  const ratePerS = elapsedS > 0 ? done / elapsedS : 0;
  await setOperationProgress(operationId, { done, total, unit: "documents", ratePerS, etaS: ratePerS > 0 ? (total - done) / ratePerS : undefined, chunks });
  return { op, progress: { total, done, complete, dead, active: total - done } };
}

/**
 * Failed documents come back after their backoff. Stalled ones are those still on their way when
 * no document of the operation has changed stage for STEVEDORE_STALLED_AFTER_S: while the
 * operation moves, a queued document is only waiting its turn.
 */
async function requeueStuck(operationId: string): Promise<void> {
  const db = getDb();
  const stalledBefore = new Date(Date.now() - env().STEVEDORE_STALLED_AFTER_S * 1000);
  const stuck = await db
    .select({ id: documents.id, stage: documents.stage, errorStage: documents.errorStage, attempts: documents.attempts })
    .from(documents)
    .where(
      and(
        eq(documents.operationId, operationId),
        sql`(${documents.stage} = 'failed' and ${documents.stageChangedAt} < now() - (interval '1 second' * least(300, 5 * power(2, ${documents.attempts}))))
            or (${documents.stage} not in ('failed', 'complete', 'dead')
                and (select max(d.stage_changed_at) from documents d where d.operation_id = ${operationId}) < ${stalledBefore.toISOString()}::timestamptz)`,
      ),
    )
    .limit(1000);
  if (stuck.length === 0) return;
  const now = new Date();
  const exhausted = stuck.filter((d) => d.stage === "failed" && d.attempts >= MAX_ATTEMPTS);
  await applyStageChanges(db, operationId, exhausted.map((d) => ({ id: d.id, stage: "dead", at: now, errorClass: "retries_exhausted", message: `Gave up after ${d.attempts} failed attempts.` })), ["failed"]);
  const retry = stuck.filter((d) => !exhausted.includes(d));
  const toParse = retry.filter((d) => PARSE_STAGES.includes(d.stage) || (d.stage === "failed" && (!d.errorStage || PARSE_STAGES.includes(d.errorStage as DocumentStage))));
  const toEmbed = retry.filter((d) => !toParse.includes(d));
  await applyStageChanges(db, operationId, toParse.map((d) => ({ id: d.id, stage: "uploaded", at: now, errorClass: d.stage === "failed" ? "requeued" : "stalled" })));
  await applyStageChanges(db, operationId, toEmbed.map((d) => ({ id: d.id, stage: "chunked", at: now, errorClass: d.stage === "failed" ? "requeued" : "stalled" })));
  await dispatch("parse", operationId, toParse.map((d) => d.id), `requeue-${now.getTime()}`);
  await dispatch("embed", operationId, toEmbed.map((d) => d.id), `requeue-${now.getTime()}`);
  await appendOperationLog(operationId, "warn", `Requeued ${retry.length} stuck document(s); ${exhausted.length} gave up.`, { parse: toParse.length, embed: toEmbed.length, dead: exhausted.length });
}

/** After a cancel: documents not complete lose their points and stay queued for a later APPEND. */
export async function resetUnfinished(operationId: string): Promise<string[]> {
  const db = getDb();
  const unfinished = await db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.operationId, operationId), notInArray(documents.stage, ["complete", "dead"])));
  const now = new Date();
  await applyStageChanges(db, operationId, unfinished.map((d) => ({ id: d.id, stage: "failed", at: now, errorClass: "cancelled", message: "The operation was cancelled before this document was stored." })));
  return unfinished.map((d) => d.id);
}


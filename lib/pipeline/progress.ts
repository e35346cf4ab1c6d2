import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents, type DocumentStage } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { setOperationProgress } from "@/lib/services/operation/progress";
import { requeueStuck } from "./requeue";

export type Progress = { total: number; done: number; complete: number; dead: number; active: number; cancelled: boolean };

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

const PUBLISH_EVERY_MS = 1000;
const lastPublished = new Map<string, number>();

/** Called by every batch as it finishes: publishes progress at most once a second per operation (and process). */
export async function publishProgressThrottled(operationId: string): Promise<void> {
  const now = Date.now();
  if (now - (lastPublished.get(operationId) ?? 0) < PUBLISH_EVERY_MS) return;
  lastPublished.set(operationId, now);
  if (lastPublished.size > 1000) lastPublished.delete(lastPublished.keys().next().value!);
  await publishProgress(operationId);
}

/**
 * The follow loop's check: publishes progress and requeues what is stuck: failed documents (with
 * backoff, until they run out of attempts) and stalled ones (see requeueStuck).
 */
export async function checkProgress(operationId: string, correlationId?: string): Promise<Progress> {
  const { op, progress } = await publishProgress(operationId);
  const cancelled = !op || op.status === "cancelled" || op.status === "failed";
  if (!cancelled && progress.done < progress.total) await requeueStuck({ operationId, correlationId });
  return { ...progress, cancelled };
}

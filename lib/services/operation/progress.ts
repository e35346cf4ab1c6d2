import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { ACTIVE_OPERATION_STATUSES } from "@/lib/operation-status";
import { operationLogs, operationMetrics, operations, operationSteps, type OperationProgress } from "@/db/schema/operations";
import { collectionReleased } from "@/inngest/events";
import { inngest } from "@/inngest/client";
import { getLogger } from "@/lib/observability/logger";
import { recordOperationEnd } from "@/lib/observability/metrics";
import { closeOperationWindows } from "@/lib/silences/windows";
import { sampleResources } from "./resources";

/**
 * What an operation's function records as it goes, one call per durable step. Every write is
 * idempotent (a retried step may call it again) and ignores operations already finished.
 */

export async function markOperationRunning(operationId: string): Promise<boolean> {
  const rows = await getDb()
    .update(operations)
    .set({ status: "running", startedAt: sql`coalesce(${operations.startedAt}, now())` })
    .where(and(eq(operations.id, operationId), inArray(operations.status, ACTIVE_OPERATION_STATUSES)))
    .returning({ id: operations.id });
  return rows.length > 0;
}

export async function recordCheckpoint(
  operationId: string,
  name: string,
  patch: { status: "running" | "succeeded" | "failed" | "skipped"; attempts?: number; output?: unknown; error?: string },
): Promise<void> {
  const now = new Date();
  const db = getDb();
  const [existing] = await db.select({ id: operationSteps.id, status: operationSteps.status }).from(operationSteps).where(and(eq(operationSteps.operationId, operationId), eq(operationSteps.name, name)));
  const finished = patch.status !== "running" ? now : null;
  if (existing) {
    // "running" again for a checkpoint already running: its step is being retried.
    const attempts = patch.attempts ?? (patch.status === "running" && existing.status === "running" ? sql`${operationSteps.attempts} + 1` : undefined);
    await db
      .update(operationSteps)
      .set({ status: patch.status, attempts, output: patch.output, error: patch.error ?? null, finishedAt: finished })
      .where(eq(operationSteps.id, existing.id));
  } else {
    await db.insert(operationSteps).values({ operationId, name, status: patch.status, attempts: patch.attempts ?? 1, output: patch.output, error: patch.error, startedAt: now, finishedAt: finished });
  }
  await sampleResources(operationId);
}

export type LogLevel = "debug" | "info" | "warn" | "error";

export async function appendOperationLog(operationId: string, level: LogLevel, message: string, fields?: Record<string, unknown>) {
  await getDb().insert(operationLogs).values({ operationId, level, message, fields });
}

export async function setOperationProgress(operationId: string, progress: OperationProgress) {
  await getDb().update(operations).set({ progress }).where(and(eq(operations.id, operationId), inArray(operations.status, ACTIVE_OPERATION_STATUSES)));
  await sampleResources(operationId);
}

/** When an operation ends, however it ends, no checkpoint of it stays "running" and its maintenance window closes. */
export async function endOpenCheckpoints(db: Executor, operationId: string, error: string | null, status: "succeeded" | "failed" = "failed"): Promise<void> {
  await closeOperationWindows(db, operationId);
  await db
    .update(operationSteps)
    .set({ status, error, finishedAt: new Date() })
    .where(and(eq(operationSteps.operationId, operationId), inArray(operationSteps.status, ["pending", "running"])));
}

/**
 * Wakes the operations queued behind this one on its collection (they wait for
 * stevedore/collection.released, with a timeout as a fallback, so a lost event only delays them).
 */
export async function announceRelease(collectionId: string, operationId: string): Promise<void> {
  await inngest.send({ id: `released-${operationId}`, name: collectionReleased.name, data: { collectionId, operationId } }).catch((err) => {
    getLogger().warn({ err, operationId, collectionId }, "collection release not announced; the next operation starts at its next check");
  });
}

/**
 * Ends the operation (only if it is still under way): its status, result and metrics, every
 * checkpoint still running ended with it, and its collection released at once for the next one.
 */
export async function finishOperation(
  operationId: string,
  outcome: {
    status: "succeeded" | "failed" | "cancelled";
    result?: Record<string, unknown>;
    error?: string;
    metrics?: Partial<typeof operationMetrics.$inferInsert>;
    /** The operation log's last line, written with the change so a finish run twice logs once. */
    log?: { level: LogLevel; message: string; fields?: Record<string, unknown> };
  },
): Promise<void> {
  await sampleResources(operationId, { last: true });
  const finished = await getDb().transaction(async (tx) => {
    const [op] = await tx
      .update(operations)
      .set({ status: outcome.status, result: outcome.result, error: outcome.error ?? null, finishedAt: new Date() })
      .where(and(eq(operations.id, operationId), inArray(operations.status, ACTIVE_OPERATION_STATUSES)))
      .returning({ type: operations.type, status: operations.status, startedAt: operations.startedAt, createdAt: operations.createdAt, finishedAt: operations.finishedAt, collectionId: operations.collectionId });
    if (!op) return null;
    const durationMs = Date.now() - (op.startedAt ?? op.createdAt).getTime();
    const metrics = { durationMs, ...outcome.metrics };
    await tx.insert(operationMetrics).values({ operationId, ...metrics }).onConflictDoUpdate({ target: operationMetrics.operationId, set: metrics });
    const stopped = outcome.status === "succeeded" ? null : outcome.status === "cancelled" ? "Cancelled." : "The operation failed.";
    await endOpenCheckpoints(tx, operationId, stopped, outcome.status === "succeeded" ? "succeeded" : "failed");
    if (outcome.log) await tx.insert(operationLogs).values({ operationId, ...outcome.log });
    // Released at once, unless the operation never had the turn and another one runs on the collection.
    if (op.collectionId) {
      await tx
        .update(collections)
        .set({ status: "ready" })
        .where(and(eq(collections.id, op.collectionId), eq(collections.status, "busy"), sql`not exists (select 1 from operations o where o.collection_id = ${op.collectionId} and o.id <> ${operationId} and o.status = 'running')`));
    }
    return op;
  });
  if (finished) recordOperationEnd(finished);
  if (finished?.collectionId) await announceRelease(finished.collectionId, operationId);
}

import { and, eq, inArray, like } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { auditLog } from "@/db/schema/audit-log";
import { aliasChanges } from "@/db/schema/collection-versions";
import { z } from "zod";
import { operations, type Operation } from "@/db/schema/operations";
import { operationCancelRequested } from "@/inngest/events";
import { inngest } from "@/inngest/client";
import { getLogger } from "@/lib/observability/logger";
import { recordOperationEnd } from "@/lib/observability/metrics";
import { ACTIVE_OPERATION_STATUSES, isOperationActive } from "@/lib/operation-status";
import { emitAudit } from "../audit/emit";
import { endOpenCheckpoints } from "./progress";
import type { ServiceContext } from "../context";
import { conflict, notFound } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";

export const CancelOperationInput = z.object({ operationId: z.uuid({ message: "Unknown operation." }) });

/**
 * Marks the operation cancelled (its checkpoints end with it) and, after commit, sends the event
 * its function cancels on. A step already executing stops at its next batch boundary; no later step runs.
 */
export async function cancelOperation({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.cancel", "operation.cancel", input);
  const { operationId } = await parseInput(ctx, "operation.cancel", CancelOperationInput, input);
  const operation = await withTransaction(ctx, "operation.cancel", async (tx) => {
    const [op] = await tx.select().from(operations).where(eq(operations.id, operationId)).for("update");
    if (!op) throw notFound("Operation");
    const updated = await cancelLockedOperation(tx, ctx, op);
    await emitAudit(tx, ctx, { action: "operation.cancel", target: { type: "operation", id: operationId }, params: { type: op.type, previousStatus: op.status } });
    return updated;
  });
  await sendCancelRequested([operation]);
  return operation;
}

/**
 * The cancel itself, in the caller's transaction, on a row it has locked: refuses (conflict) an
 * operation that has ended or has switched its collection; else marks it cancelled and ends its
 * checkpoints. The caller audits, and sends sendCancelRequested after commit. Bulk cancel shares it.
 */
export async function cancelLockedOperation(tx: Tx, ctx: ServiceContext, op: Operation): Promise<Operation> {
  if (!isOperationActive(op.status)) throw conflict(`The operation has already ${op.status === "cancelled" ? "been cancelled" : op.status}.`);
  const [switched] = await tx.select({ toVersion: aliasChanges.toVersion }).from(aliasChanges).where(eq(aliasChanges.operationId, op.id)).limit(1);
  if (switched && op.type !== "INDEX") throw conflict(`This ${op.type} has already switched the collection to version ${switched.toVersion}; it finishes on its own. Roll back instead.`);
  const [updated] = await tx
    .update(operations)
    .set({ status: "cancelled", error: `Cancelled by ${ctx.actor.email}`, finishedAt: new Date() })
    .where(and(eq(operations.id, op.id), inArray(operations.status, ACTIVE_OPERATION_STATUSES)))
    .returning();
  await endOpenCheckpoints(tx, op.id, `Cancelled by ${ctx.actor.email}.`);
  return updated!;
}

/**
 * After commit: each cancel counted in the metrics, and its event sent. Idempotent by id: cancelling
 * twice sends one event. It stops the run (cancelOn) and starts the clean-up
 * (clean-up-cancelled-operation), which rolls back and hands the collection's turn on.
 */
export async function sendCancelRequested(cancelled: Operation[]) {
  if (cancelled.length === 0) return;
  for (const op of cancelled) recordOperationEnd(op);
  await inngest.send(cancelled.map((op) => ({ id: `cancel-${op.id}`, name: operationCancelRequested.name, data: { operationId: op.id, correlationId: op.correlationId } }))).catch((err) => {
    getLogger().error({ err, operationIds: cancelled.map((op) => op.id) }, "cancel event not delivered; the run will stop at its next status check");
  });
}

/**
 * The operation's run was cancelled outside the operation (the Runs page, the executor's cancel
 * API): the operation is marked cancelled too, its checkpoints ended. No verb and no actor here:
 * who cancelled the run is in its `run.cancel` audit entry (see nameRunCanceller).
 */
export async function markCancelledWithRun(operationId: string, runId: string): Promise<boolean> {
  const updated = await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(operations)
      .set({ status: "cancelled", error: `Cancelled: its run ${runId.slice(0, 8)} was cancelled.`, finishedAt: new Date() })
      .where(and(eq(operations.id, operationId), inArray(operations.status, ACTIVE_OPERATION_STATUSES)))
      .returning({ type: operations.type, status: operations.status, startedAt: operations.startedAt, createdAt: operations.createdAt, finishedAt: operations.finishedAt });
    if (row) await endOpenCheckpoints(tx, operationId, "Cancelled with its run.");
    return row;
  });
  if (updated) recordOperationEnd(updated);
  return !!updated;
}

/** Names who cancelled the run on its operation, once the `run.cancel` audit entry is there (false until then). */
export async function nameRunCanceller(operationId: string, runId: string): Promise<boolean> {
  const db = getDb();
  const [entry] = await db
    .select({ email: auditLog.actorEmail })
    .from(auditLog)
    .where(and(eq(auditLog.action, "run.cancel"), eq(auditLog.targetType, "run"), eq(auditLog.targetId, runId), eq(auditLog.outcome, "success")))
    .limit(1);
  if (!entry) return false;
  await db
    .update(operations)
    .set({ error: `Cancelled by ${entry.email} (its run was cancelled).` })
    .where(and(eq(operations.id, operationId), eq(operations.status, "cancelled"), like(operations.error, "Cancelled: its run %")));
  return true;
}

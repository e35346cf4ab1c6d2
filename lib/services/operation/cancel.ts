import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { operations } from "@/db/schema/operations";
import { operationCancelRequested } from "@/inngest/events";
import { inngest } from "@/inngest/client";
import { getLogger } from "@/lib/observability/logger";
import { ACTIVE_OPERATION_STATUSES, isOperationActive } from "@/lib/operation-status";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, notFound } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";

export const CancelOperationInput = z.object({ operationId: z.uuid({ message: "Unknown operation." }) });

/**
 * Marks the operation cancelled and, after commit, sends the event its function cancels on. A step
 * already executing finishes; no later step runs.
 */
export async function cancelOperation({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.cancel", "operation.cancel");
  const { operationId } = await parseInput(ctx, "operation.cancel", CancelOperationInput, input);
  const operation = await withTransaction(ctx, "operation.cancel", async (tx) => {
    const [op] = await tx.select().from(operations).where(eq(operations.id, operationId)).for("update");
    if (!op) throw notFound("Operation");
    if (!isOperationActive(op.status)) throw conflict(`The operation has already ${op.status === "cancelled" ? "been cancelled" : op.status}.`);
    const [updated] = await tx
      .update(operations)
      .set({ status: "cancelled", error: `Cancelled by ${ctx.actor.email}`, finishedAt: new Date() })
      .where(and(eq(operations.id, operationId), inArray(operations.status, ACTIVE_OPERATION_STATUSES)))
      .returning();
    await emitAudit(tx, ctx, { action: "operation.cancel", target: { type: "operation", id: operationId }, params: { type: op.type, previousStatus: op.status } });
    return updated!;
  });
  // Idempotent by id: cancelling twice sends one event.
  await inngest.send({ id: `cancel-${operationId}`, name: operationCancelRequested.name, data: { operationId } }).catch((err) => {
    getLogger().error({ err, operationId }, "cancel event not delivered; the run will stop at its next status check");
  });
  return operation;
}

import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { operations, operationSteps } from "@/db/schema/operations";
import { inngest } from "@/inngest/client";
import { reindexDecided } from "@/inngest/events";
import { getLogger } from "@/lib/observability/logger";
import { resolvePolicy } from "@/lib/reindex/policy";
import { approvalCheckpoint, type Decision } from "@/lib/reindex/run";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, forbidden, notFound } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { findCollection } from "../collection/find";

export const DecideInput = z.object({
  operationId: z.uuid({ message: "Unknown operation." }),
  decision: z.enum(["approve", "reject"]),
  comment: z.string().trim().max(2000, { message: "At most 2,000 characters." }).default(""),
});

/**
 * Approve or reject a reindex awaiting approval (`POST /api/v1/operations/:id/approve|reject`).
 * The decision is written on the approval checkpoint with its audit entry, then the event wakes the
 * waiting run; a run that was not waiting at that moment finds the decision at its next look.
 */
export async function decideReindex({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  const action = (input as { decision?: string } | null)?.decision === "reject" ? "reindex.reject" : "reindex.approve";
  await authorize(ctx, "operation.start", action, input);
  const data = await parseInput(ctx, action, DecideInput, input);
  const decision: Decision = { decision: data.decision, actor: ctx.actor.email, actorId: ctx.actor.id, comment: data.comment, at: new Date().toISOString() };
  await withTransaction(ctx, action, async (tx) => {
    const [op] = await tx.select().from(operations).where(eq(operations.id, data.operationId)).for("update");
    if (!op || op.type !== "REINDEX") throw notFound("Reindex operation");
    const step = await approvalCheckpoint(op.id, tx);
    const recorded = step?.output.decision;
    if (!step || step.status !== "running" || recorded || op.status !== "waiting") {
      throw conflict(recorded ? `This reindex was already ${recorded.decision === "approve" ? "approved" : "rejected"} by ${recorded.actor}.` : "This reindex is not awaiting approval.");
    }
    const collection = op.collectionId ? await findCollection(op.collectionId, tx) : null;
    if (resolvePolicy(collection?.reindexPolicy).distinctApprover && op.requestedBy && op.requestedBy === ctx.actor.id) {
      throw forbidden("This collection requires the approver to be someone other than the requester.");
    }
    await tx
      .update(operationSteps)
      .set({ output: sql`coalesce(${operationSteps.output}, '{}'::jsonb) || ${JSON.stringify({ decision })}::jsonb` })
      .where(eq(operationSteps.id, step.id));
    await emitAudit(tx, ctx, { action, target: { type: "operation", id: op.id }, params: { collection: collection?.name, comment: data.comment || undefined } });
  });
  await inngest
    .send({ id: `decided-${data.operationId}`, name: reindexDecided.name, data: { operationId: data.operationId, decision: data.decision, actorId: ctx.actor.id, actor: ctx.actor.email, comment: data.comment } })
    .catch((err) => getLogger().warn({ err, operationId: data.operationId, correlationId: ctx.correlationId }, "decision event not sent; the reindex finds the decision at its next look"));
  return { decision };
}

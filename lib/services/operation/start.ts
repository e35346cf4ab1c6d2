import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { getDb } from "@/db/client";
import { operations, type Operation, type OperationType } from "@/db/schema/operations";
import { getLogger } from "@/lib/observability/logger";
import { recordOperationEnd } from "@/lib/observability/metrics";
import { refuseBeyondLimits } from "@/lib/resources/check";
import { lockUserQuota } from "@/lib/resources/quotas";
import { inngest } from "@/inngest/client";
import type { AuditAction } from "../audit/actions";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { withTransaction } from "../verb";

type StartSpec = {
  type: OperationType;
  /** The verb's own action, under which a refused or failed start is audited. */
  action?: AuditAction;
  collectionId?: string | null;
  params?: Record<string, unknown>;
  /** The event that starts the operation's function; `data.operationId` is added. */
  event: { name: string; data?: Record<string, unknown> };
  /** Checks and writes inside the operation's transaction; may supply the collection and more params. */
  inTransaction?: (tx: Tx, operationId: string) => Promise<{ collectionId?: string; params?: Record<string, unknown>; reservedBytes?: number } | void>;
  /** Writes in the same transaction that refer to the operation row (a backup row naming it). */
  afterInsert?: (tx: Tx, operation: Operation) => Promise<void>;
};

/**
 * The shared tail of every operation verb: one transaction inserts the operation (queued) and its
 * audit entry; after commit the event goes out with id = operation id, so a resend is deduplicated.
 * First, under the user's quota lock (held to the commit), the role's limit on operations under
 * way: every type counts and is counted, so no verb can forget it.
 */
export async function startOperation(ctx: ServiceContext, spec: StartSpec): Promise<Operation> {
  const operation = await withTransaction(ctx, spec.action ?? "operation.start", async (tx) => {
    await lockUserQuota(tx, ctx.actor);
    await refuseBeyondLimits(tx, ctx.actor, { operations: true });
    const id = randomUUID();
    const extra = (await spec.inTransaction?.(tx, id)) ?? {};
    const collectionId = extra.collectionId ?? spec.collectionId ?? null;
    const params = { ...spec.params, ...extra.params };
    const [row] = await tx.insert(operations).values({ id, type: spec.type, collectionId, params, requestedBy: ctx.actor.id, correlationId: ctx.correlationId, reservedBytes: extra.reservedBytes ?? 0 }).returning();
    await spec.afterInsert?.(tx, row!);
    await emitAudit(tx, ctx, { action: "operation.start", target: { type: "operation", id: row!.id }, params: { type: spec.type, collectionId, ...params } });
    return row!;
  });
  try {
    await inngest.send({ id: operation.id, name: spec.event.name, data: { ...spec.event.data, operationId: operation.id, correlationId: operation.correlationId } });
  } catch (err) {
    getLogger().error({ err, operationId: operation.id, correlationId: ctx.correlationId }, "could not hand the operation to the executor");
    await getDb()
      .update(operations)
      .set({ status: "failed", error: "The background executor could not be reached; nothing was changed. Try again.", finishedAt: new Date() })
      .where(eq(operations.id, operation.id));
    recordOperationEnd({ ...operation, status: "failed" });
    throw new ServiceError("unavailable", "The background executor is not reachable right now. Nothing was changed; try again in a moment.");
  }
  return operation;
}

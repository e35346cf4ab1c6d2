import { getDb, type Executor } from "@/db/client";
import { auditLog, type AuditOutcome } from "@/db/schema/audit-log";
import { getLogger } from "@/lib/observability/logger";
import type { ServiceContext } from "../context";
import type { AuditAction } from "./actions";

export type AuditInput = {
  action: AuditAction;
  target?: { type: string; id: string | null };
  params?: Record<string, unknown>;
  outcome?: AuditOutcome;
  error?: string;
};

/** Writes an audit entry with `tx`, so it commits or rolls back with the change it records. */
export async function emitAudit(tx: Executor, ctx: ServiceContext, entry: AuditInput): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: ctx.actor.id,
    actorEmail: ctx.actor.email,
    actorType: ctx.actor.type,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    params: entry.params ?? null,
    outcome: entry.outcome ?? "success",
    error: entry.error ?? null,
    ip: ctx.ip,
    correlationId: ctx.correlationId,
  });
}

/** Records an entry outside any transaction: refusals, failures after their rollback, exports. Never throws. */
export async function emitAuditNow(ctx: ServiceContext, entry: AuditInput): Promise<void> {
  try {
    await emitAudit(getDb(), ctx, entry);
  } catch (err) {
    getLogger().error({ err, correlationId: ctx.correlationId, action: entry.action }, "could not write audit entry");
  }
}

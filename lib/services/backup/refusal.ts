import type { AuditAction } from "../audit/actions";
import { emitAuditNow } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";

/** Runs a verb's checks; a refusal (a ServiceError) is audited as a failure on `target` before it is thrown. */
export async function auditRefusals<T>(ctx: ServiceContext, action: AuditAction, target: { type: string; id: string | null }, checks: () => Promise<T>): Promise<T> {
  try {
    return await checks();
  } catch (err) {
    if (err instanceof ServiceError) await emitAuditNow(ctx, { action, target, outcome: "failure", error: err.message });
    throw err;
  }
}

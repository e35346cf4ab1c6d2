import type { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { can, type Permission } from "@/lib/auth/rbac";
import type { AuditAction } from "./audit/actions";
import { describeAttempt } from "./audit/attempt";
import { emitAuditNow } from "./audit/emit";
import type { ServiceContext } from "./context";
import { forbidden, ServiceError } from "./errors";

type Target = { type: string; id: string | null };
const isTarget = (v: unknown): v is Target =>
  !!v && typeof v === "object" && Object.keys(v).length === 2 && typeof (v as Target).type === "string" && "id" in v;

/**
 * The steps every verb takes, in order: authorize → parseInput → withTransaction (change + emitAudit).
 * Refusals and failures are audited here, outside the rolled-back transaction. Pass the verb's raw
 * input (or an explicit target) so a refusal records what was attempted on what.
 */
export async function authorize(ctx: ServiceContext, permission: Permission, action: AuditAction, input?: unknown) {
  if (can(ctx.actor.role, permission)) return;
  const { target, attempted } = isTarget(input) ? { target: input, attempted: undefined } : describeAttempt(action, input);
  await emitAuditNow(ctx, { action, target, params: attempted && { attempted }, outcome: "denied", error: `missing permission ${permission}` });
  throw forbidden();
}

export async function parseInput<S extends z.ZodType>(ctx: ServiceContext, action: AuditAction, schema: S, input: unknown): Promise<z.infer<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join(".") || "_form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const { target } = describeAttempt(action, input);
  await emitAuditNow(ctx, { action, target, outcome: "failure", error: "invalid input", params: { fields: Object.keys(fieldErrors) } });
  throw new ServiceError("invalid", "Some fields are invalid.", fieldErrors);
}

export async function withTransaction<T>(ctx: ServiceContext, action: AuditAction, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await getDb().transaction(fn);
  } catch (err) {
    const message = err instanceof ServiceError ? err.message : "internal error";
    await emitAuditNow(ctx, { action, outcome: "failure", error: message });
    throw err;
  }
}

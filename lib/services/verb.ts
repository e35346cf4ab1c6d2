import type { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { can, type Permission } from "@/lib/auth/rbac";
import type { AuditAction } from "./audit/actions";
import { describeAttempt } from "./audit/attempt";
import { emitAuditNow } from "./audit/emit";
import type { ServiceContext } from "./context";
import { forbidden, ServiceError } from "./errors";
import { nulPath } from "./input-messages";

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
  const nul = nulPath(input);
  if (nul !== null) {
    await emitAuditNow(ctx, { action, target: describeAttempt(action, input).target, outcome: "failure", error: "invalid input", params: { fields: [nul || "_form"] } });
    throw new ServiceError("invalid", "Some fields are invalid.", { [nul || "_form"]: ["Contains a NUL character, which cannot be stored."] });
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors = fieldErrorsOf(parsed.error);
  const { target } = describeAttempt(action, input);
  await emitAuditNow(ctx, { action, target, outcome: "failure", error: "invalid input", params: { fields: Object.keys(fieldErrors) } });
  throw new ServiceError("invalid", "Some fields are invalid.", fieldErrors);
}

export const CURSOR_MESSAGE = "Not a page of this list: start again from the first page.";

/** A read's input (filters, a query): the same field errors as parseInput, nothing audited. */
export function parseReadInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const nul = nulPath(input);
  if (nul !== null) throw new ServiceError("invalid", "Some fields are invalid.", { [nul || "_form"]: ["Contains a NUL character, which cannot be stored."] });
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ServiceError("invalid", "Some fields are invalid.", fieldErrorsOf(parsed.error));
}

/** Each issue under the field it is about (`_form` when it is about the whole input). */
function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) (fieldErrors[issue.path.join(".") || "_form"] ??= []).push(issue.message);
  return fieldErrors;
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

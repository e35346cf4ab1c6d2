import { sessionContext } from "@/lib/auth/actor";
import type { ServiceContext } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { getLogger } from "@/lib/observability/logger";
import { formErrorOf } from "@/lib/form-errors";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; formError?: string; fieldErrors?: Record<string, string[]> };

/** Every server action's adapter: find the actor, call one verb, and map its errors for the form. */
export async function runAction<T>(verb: (ctx: ServiceContext) => Promise<T>): Promise<ActionResult<T>> {
  const ctx = await sessionContext();
  if (!ctx) return { ok: false, formError: "Your session has ended. Sign in again." };
  try {
    return { ok: true, data: await verb(ctx) };
  } catch (err) {
    if (err instanceof ServiceError) {
      return { ok: false, formError: formErrorOf(err), fieldErrors: err.fieldErrors };
    }
    getLogger().error({ err, correlationId: ctx.correlationId }, "server action failed");
    return { ok: false, formError: `Internal error (reference ${ctx.correlationId}).` };
  }
}

/** FormData to a plain object; checkbox-like "on" values become booleans. */
export function formObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue;
    out[key] = value === "on" ? true : value;
  }
  return out;
}

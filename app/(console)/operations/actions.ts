"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { decideReindex } from "@/lib/services/reindex/decide";

export type Decided = ActionResult<{ decision: "approve" | "reject" | "timeout"; at: string }>;

/** Approve or reject a reindex awaiting approval; `decision` comes from the pressed button. */
export async function decideReindexAction(_prev: Decided | null, form: FormData): Promise<Decided> {
  const f = formObject(form);
  const result = await runAction((ctx) => decideReindex({ ctx, input: { operationId: f.operationId, decision: f.decision, comment: f.comment ?? "" } }));
  if (!result.ok) return result;
  revalidatePath(`/operations/${String(f.operationId)}`);
  return { ok: true, data: { decision: result.data.decision.decision, at: result.data.decision.at } };
}

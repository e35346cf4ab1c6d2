"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { bulkCancelOperations } from "@/lib/services/operation/bulk-cancel";
import { bulkRetryOperations } from "@/lib/services/operation/bulk-retry";
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

export type BulkIntent = "cancel" | "retry";
export type BulkSummary = Awaited<ReturnType<typeof bulkCancelOperations>> | Awaited<ReturnType<typeof bulkRetryOperations>>;
export type BulkDone = ActionResult<{ intent: BulkIntent; scope: "selected" | "matching"; summary: BulkSummary }>;

/**
 * Bulk cancel or retry, from the job history: `action` is "cancel:selected", "retry:matching"...
 * (the pressed button), `ids` the selected rows, `filter` the page's filter as JSON; `dryRun`
 * gives the counts the confirm dialog shows. The verb re-evaluates the selection either way.
 */
export async function bulkOperationsAction(_prev: BulkDone | null, form: FormData): Promise<BulkDone> {
  const [intent, scope] = String(form.get("action") ?? "").split(":") as [BulkIntent, "selected" | "matching"];
  let filter: unknown;
  try {
    filter = JSON.parse(String(form.get("filter") ?? "{}"));
  } catch {
    return { ok: false, formError: "The filter could not be read: reload the page." };
  }
  const input = { ...(scope === "selected" ? { ids: form.getAll("ids").map(String) } : { filter }), dryRun: form.get("dryRun") === "1" };
  if (intent !== "cancel" && intent !== "retry") return { ok: false, formError: "Choose cancel or retry." };
  const result = await runAction<BulkSummary>((ctx) => (intent === "cancel" ? bulkCancelOperations({ ctx, input }) : bulkRetryOperations({ ctx, input })));
  if (!result.ok) return result;
  if (!input.dryRun) revalidatePath("/operations");
  return { ok: true, data: { intent, scope, summary: result.data } };
}

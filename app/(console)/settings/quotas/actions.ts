"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import type { RoleQuotaView } from "@/lib/services/quota/get";
import { updateQuotas } from "@/lib/services/quota/update";

/** One role's form: its three fields, an empty one for no limit. Errors come back under the field names. */
export async function updateQuotaAction(_prev: ActionResult<RoleQuotaView> | null, form: FormData): Promise<ActionResult<RoleQuotaView>> {
  const f = formObject(form);
  const input = { quotas: [{ role: f.role, maxConcurrentOperations: f.maxConcurrentOperations, maxPointsPerCollection: f.maxPointsPerCollection, maxCollections: f.maxCollections }] };
  const result = await runAction(async (ctx) => (await updateQuotas({ ctx, input })).find((q) => q.role === f.role)!);
  if (result.ok) {
    revalidatePath("/settings/quotas");
    return result;
  }
  const fieldErrors = result.fieldErrors && Object.fromEntries(Object.entries(result.fieldErrors).map(([key, messages]) => [key.replace(/^quotas\.0\./, ""), messages]));
  return { ...result, fieldErrors };
}

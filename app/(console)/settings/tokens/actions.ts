"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { createApiToken } from "@/lib/services/api-token/create";
import { revokeApiToken } from "@/lib/services/api-token/revoke";

export type CreatedToken = { name: string; role: string; secret: string };

export async function createTokenAction(_prev: ActionResult<CreatedToken> | null, form: FormData): Promise<ActionResult<CreatedToken>> {
  const { name, expiresInDays, role } = formObject(form);
  const result = await runAction(async (ctx) => {
    const token = await createApiToken({ ctx, input: { name, role, expiresInDays: expiresInDays || undefined } });
    return { name: token.name, role: token.role ?? "", secret: token.secret };
  });
  if (result.ok) revalidatePath("/settings/tokens");
  return result;
}

export async function revokeTokenAction(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction((ctx) => revokeApiToken({ ctx, input: { tokenId: form.get("tokenId") } }));
  if (result.ok) revalidatePath("/settings/tokens");
  return result;
}

"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { createUser, type PublicUser } from "@/lib/services/user/create";
import { unlockUser } from "@/lib/services/user/unlock";
import { updateUser } from "@/lib/services/user/update";

export async function createUserAction(_prev: ActionResult<PublicUser> | null, form: FormData): Promise<ActionResult<PublicUser>> {
  const result = await runAction((ctx) => createUser({ ctx, input: formObject(form) }));
  if (result.ok) revalidatePath("/settings/users");
  return result;
}

export async function updateUserAction(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const { userId, role, disabled } = formObject(form);
  const input = { userId, role: role || undefined, disabled: disabled === undefined ? undefined : disabled === "true" };
  const result = await runAction((ctx) => updateUser({ ctx, input }));
  if (result.ok) revalidatePath("/settings/users");
  return result;
}

export async function unlockUserAction(_prev: ActionResult<{ cleared: number }> | null, form: FormData): Promise<ActionResult<{ cleared: number }>> {
  const result = await runAction((ctx) => unlockUser({ ctx, input: { userId: formObject(form).userId } }));
  if (result.ok) revalidatePath("/settings/users");
  return result;
}

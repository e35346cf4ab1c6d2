"use server";

import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { changeOwnPassword } from "@/lib/services/user/change-password";

export async function changePasswordAction(_prev: ActionResult<null> | null, form: FormData): Promise<ActionResult<null>> {
  return runAction(async (ctx) => {
    await changeOwnPassword({ ctx, input: formObject(form) });
    return null;
  });
}

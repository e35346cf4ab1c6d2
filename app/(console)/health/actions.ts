"use server";

import { runAction, type ActionResult } from "@/lib/actions/run-action";
import { startSelfTest } from "@/lib/services/operation/start-self-test";

export async function startSelfTestAction(): Promise<ActionResult<{ operationId: string }>> {
  return runAction(async (ctx) => ({ operationId: (await startSelfTest({ ctx })).id }));
}

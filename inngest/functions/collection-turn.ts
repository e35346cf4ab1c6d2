import type { GetStepTools } from "inngest";
import { claimTurn } from "@/lib/pipeline/turn";
import { finishOperation } from "@/lib/services/operation/progress";
import type { inngest } from "../client";

type Step = GetStepTools<typeof inngest>;

/**
 * Durably waits until this operation is the oldest unfinished mutating one of its collection.
 * Returns false when the operation was cancelled while it waited.
 */
export async function waitForCollectionTurn(step: Step, operationId: string): Promise<boolean> {
  for (let i = 0; ; i++) {
    const turn = await step.run(`wait-turn-${i}`, () => claimTurn(operationId));
    if (turn.finished) return false;
    if (turn.go) return true;
    await step.sleep(`queued-${i}`, "3s");
  }
}

/** The `onFailure` of every collection operation: the operation says why it stopped. */
export async function failCollectionOperation({ event, error }: { event: { data: { event: { data: { operationId: string } } } }; error: Error }) {
  await finishOperation(event.data.event.data.operationId, { status: "failed", error: `Stopped: ${error.message}` });
}

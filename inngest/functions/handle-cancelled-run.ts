import { markCancelledWithRun, nameRunCanceller } from "@/lib/services/operation/cancel";
import { inngest } from "../client";
import { FUNCTION_CANCELLED, operationCancelRequested } from "../events";

/** The operation functions whose runs stand for an operation: cancelling one of them cancels the operation. */
const OPERATION_FUNCTIONS = ["stevedore-index-source", "stevedore-remove-source", "stevedore-run-self-test"];

type CancelledRun = { function_id: string; run_id: string; event: { data?: { operationId?: string; correlationId?: string } } };

/**
 * A run of an operation function was cancelled by the executor (the Runs page, its cancel API):
 * the operation is marked cancelled and gets the same clean-up as a cancel from the operation
 * (one event id for both, so a cancel that came from the operation is not cleaned up twice).
 */
export const handleCancelledRun = inngest.createFunction(
  {
    id: "handle-cancelled-run",
    retries: 5,
    // Ahead of queued pipeline batches: a cancel takes effect within seconds however many wait.
    priority: { run: "600" },
    triggers: [{ event: FUNCTION_CANCELLED, if: OPERATION_FUNCTIONS.map((id) => `event.data.function_id == ${JSON.stringify(id)}`).join(" || ") }],
  },
  async ({ event, step }) => {
    const { run_id: runId, event: trigger } = event.data as CancelledRun;
    const { operationId, correlationId } = trigger.data ?? {};
    if (!operationId) return { skipped: "the run has no operation" };
    await step.run("mark-cancelled", () => markCancelledWithRun(operationId, runId));
    await step.sendEvent("request-clean-up", { id: `cancel-${operationId}`, name: operationCancelRequested.name, data: { operationId, correlationId } });
    // The Runs page writes its audit entry once the executor has answered: by now it is there.
    await step.sleep("await-audit", "1s");
    return { operationId, named: await step.run("name-canceller", () => nameRunCanceller(operationId, runId)) };
  },
);

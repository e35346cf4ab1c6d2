import { finishRollback, switchRollback, validateRollback } from "@/lib/reindex/rollback";
import { stopOnPermanent } from "@/lib/pipeline/stop";
import { timeOnceOnlyStage } from "@/lib/services/operation/stage-metrics";
import { inngest } from "../client";
import { operationCancelRequested, rollbackRequested, versionRetired } from "../events";
import { chainedRun, failCollectionOperation, waitForCollectionTurn } from "./collection-turn";

/** ROLLBACK: in the collection's turn, validate the retired version (count, dimension, no document added since), switch back to it. */
export const rollbackCollection = inngest.createFunction(
  {
    id: "rollback-collection",
    retries: 5,
    priority: { run: "120" },
    triggers: [rollbackRequested],
    cancelOn: [{ event: operationCancelRequested, match: "data.operationId" }],
    onFailure: failCollectionOperation,
  },
  async ({ event, step }) => {
    const { operationId } = event.data;
    const { ref, budget, continueIn } = chainedRun(step, "rollback-collection", rollbackRequested.name, event.data);
    const turn = await waitForCollectionTurn(step, operationId, budget);
    if (turn.status === "cancelled") return { skipped: "the operation was cancelled before it started" };
    if (turn.status === "continue") return continueIn({ phase: "turn" });
    // Timed as a reindex's are: the validation by the points it checked, the switch once.
    await step.run("validation", () => stopOnPermanent(ref, () => timeOnceOnlyStage(operationId, "validate", (r) => r.points, () => validateRollback(operationId))));
    const switched = await step.run("switch", () => stopOnPermanent(ref, () => timeOnceOnlyStage(operationId, "switch", () => 1, () => switchRollback(operationId))));
    if (switched.retired) await step.sendEvent("schedule-cleanup", { id: `retired-${switched.retired.versionId}-${operationId}`, name: versionRetired.name, data: { versionId: switched.retired.versionId, deleteAfter: switched.retired.deleteAfter } });
    return step.run("finish", () => finishRollback(operationId, switched));
  },
);

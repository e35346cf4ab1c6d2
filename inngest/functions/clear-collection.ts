import { backupCheckpoint, clearCheckpoint } from "@/lib/backup/operations";
import { loadOperation } from "@/lib/pipeline/context";
import { stopOnPermanent } from "@/lib/pipeline/stop";
import { openOperationWindow } from "@/lib/silences/windows";
import { inngest } from "../client";
import { clearRequested, operationCancelRequested } from "../events";
import { chainedRun, failCollectionOperation, waitForCollectionTurn } from "./collection-turn";

/** CLEAR: in the collection's turn, the backup first when asked (a failed one stops the clear), then the clear itself. */
export const clearCollection = inngest.createFunction(
  {
    id: "clear-collection",
    retries: 3,
    priority: { run: "120" },
    triggers: [clearRequested],
    cancelOn: [{ event: operationCancelRequested, match: "data.operationId" }],
    onFailure: failCollectionOperation,
  },
  async ({ event, step }) => {
    const { operationId } = event.data;
    const { ref, budget, continueIn } = chainedRun(step, "clear-collection", clearRequested.name, event.data);
    const turn = await waitForCollectionTurn(step, operationId, budget);
    if (turn.status === "cancelled") return { skipped: "the operation was cancelled before it started" };
    if (turn.status === "continue") return continueIn({ phase: "turn" });
    await step.run("open-maintenance-window", () => openOperationWindow(operationId, "for the clear"));
    const backupFirst = await step.run("plan", async () => Boolean((await loadOperation(operationId)).op.params.backupFirst));
    if (backupFirst) {
      const taken = await step.run("backup", () => stopOnPermanent(ref, () => backupCheckpoint(operationId)));
      if ("cancelled" in taken) return { cancelled: true };
    }
    return step.run("clear", () => stopOnPermanent(ref, () => clearCheckpoint(operationId)));
  },
);

import { backupCheckpoint, finishBackup } from "@/lib/backup/operations";
import { stopOnPermanent } from "@/lib/pipeline/stop";
import { inngest } from "../client";
import { backupRequested, operationCancelRequested } from "../events";
import { chainedRun, failCollectionOperation, waitForCollectionTurn } from "./collection-turn";

/**
 * BACKUP: in the collection's turn (nothing writes it meanwhile), one step streams the manifest and
 * every point to a file that is renamed into place only when whole; a retried step starts a fresh file.
 */
export const backupCollection = inngest.createFunction(
  {
    id: "backup-collection",
    retries: 3,
    priority: { run: "120" },
    triggers: [backupRequested],
    cancelOn: [{ event: operationCancelRequested, match: "data.operationId" }],
    onFailure: failCollectionOperation,
  },
  async ({ event, step }) => {
    const { operationId } = event.data;
    const { ref, budget, continueIn } = chainedRun(step, "backup-collection", backupRequested.name, event.data);
    const turn = await waitForCollectionTurn(step, operationId, budget);
    if (turn.status === "cancelled") return { skipped: "the operation was cancelled before it started" };
    if (turn.status === "continue") return continueIn({ phase: "turn" });
    const taken = await step.run("backup", () => stopOnPermanent(ref, () => backupCheckpoint(operationId)));
    if ("cancelled" in taken) return { cancelled: true };
    return step.run("finish", () => stopOnPermanent(ref, () => finishBackup(operationId, taken)));
  },
);

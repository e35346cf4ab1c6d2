import { createRestoreStaging, loadRestore, loadRestorePoints, restoreRecords, switchRestore } from "@/lib/backup/restore-run";
import { finishOperation } from "@/lib/services/operation/progress";
import { stopOnPermanent } from "@/lib/pipeline/stop";
import { openOperationWindow } from "@/lib/silences/windows";
import { inngest } from "../client";
import { operationCancelRequested, restoreRequested, versionRetired } from "../events";
import { chainedRun, failCollectionOperation, waitForCollectionTurn } from "./collection-turn";

/**
 * RESTORE, every mode alike: in the target's turn, a staging version is filled from the backup (a
 * merge adds the live points it keeps); the file's checksum is proven at its end, before anything
 * live changes; then the alias switches atomically and the records follow. A failure before the
 * switch gives the staging version up (and a new collection with it); the live one is untouched.
 */
export const restoreBackup = inngest.createFunction(
  {
    id: "restore-backup",
    retries: 3,
    priority: { run: "120" },
    triggers: [restoreRequested],
    cancelOn: [{ event: operationCancelRequested, match: "data.operationId" }],
    onFailure: failCollectionOperation,
  },
  async ({ event, step }) => {
    const { operationId } = event.data;
    const { ref, budget, continueIn } = chainedRun(step, "restore-backup", restoreRequested.name, event.data);
    const turn = await waitForCollectionTurn(step, operationId, budget);
    if (turn.status === "cancelled") return { skipped: "the operation was cancelled before it started" };
    if (turn.status === "continue") return continueIn({ phase: "turn" });
    await step.run("staging", () => stopOnPermanent(ref, () => createRestoreStaging(operationId)));
    const loaded = await step.run("load", () => stopOnPermanent(ref, () => loadRestorePoints(operationId)));
    if (loaded.cancelled) return { cancelled: true };
    // A replace-restore swaps the collection's contents: its alerts are held from here to the end.
    await step.run("open-maintenance-window", async () => ((await loadRestore(operationId)).params.mode === "replace" ? openOperationWindow(operationId, "around the replace-restore") : { windowId: null }));
    const switched = await step.run("switch", () => stopOnPermanent(ref, () => switchRestore(operationId)));
    if (switched.retired) await step.sendEvent("schedule-cleanup", { id: `retired-${switched.retired.versionId}-${operationId}`, name: versionRetired.name, data: { versionId: switched.retired.versionId, deleteAfter: switched.retired.deleteAfter } });
    return step.run("finish", () =>
      stopOnPermanent(ref, async () => {
        const records = await restoreRecords(operationId);
        const result = { ...loaded, ...records, fromVersion: switched.fromVersion, toVersion: switched.toVersion, keptVersion: switched.retired?.version ?? null, deleteAfter: switched.retired?.deleteAfter ?? null };
        await finishOperation(operationId, { status: "succeeded", result, metrics: { documents: records.documents, vectors: loaded.written + loaded.kept } });
        return result;
      }),
    );
  },
);

import { drillRestoreStatus, recordDrill, removeScratch, runDrillQueries, startDrill } from "@/lib/backup/drill";
import { inngest } from "../client";
import { collectionReleased, drillRequested } from "../events";

/**
 * Looks at the drill's restore, each after waiting for its collection's release (sent when the
 * restore ends, however it ends) or a timeout should that event come before the wait: 2 steps each,
 * far below Inngest's 1,000.
 */
const MAX_POLLS = 240;
const pollDelay = (i: number) => `${Math.min(30, 1 + Math.floor(i / 5) * 2)}s`;

/**
 * A restore drill: restores the collection's latest complete backup into a scratch collection, runs
 * its golden and sample queries there, keeps the verdict on the backup, and removes the scratch.
 */
export const restoreDrill = inngest.createFunction(
  { id: "restore-drill", retries: 3, triggers: [drillRequested] },
  async ({ event, step, runId }) => {
    const { collectionId, slot } = event.data;
    const start = await step.run("start-restore", () => startDrill(collectionId, slot, runId));
    if (!start.started) {
      if (start.backupId) await step.run("record-refusal", () => recordDrill(start.backupId!, { scratch: "", operationId: null, points: null, queries: [], goldenRecall: null, errors: [start.reason] }, runId));
      return { ok: false, reason: start.reason };
    }
    let status = await step.run("check-0", () => drillRestoreStatus(start.operationId));
    for (let i = 1; !status.done && i <= MAX_POLLS; i++) {
      await step.waitForEvent(`wait-${i}`, { event: collectionReleased, if: `async.data.operationId == ${JSON.stringify(start.operationId)}`, timeout: pollDelay(i) });
      status = await step.run(`check-${i}`, () => drillRestoreStatus(start.operationId));
    }
    const report = status.ok
      ? await step.run("run-queries", () => runDrillQueries(collectionId, start.backupId, { collectionId: start.collectionId, name: start.scratch, operationId: start.operationId }))
      : { scratch: start.scratch, operationId: start.operationId, points: null, queries: [], goldenRecall: null, errors: [status.error ?? "The restore did not finish in time."] };
    const verdict = await step.run("record", () => recordDrill(start.backupId, report, runId));
    // Only once the restore has ended: deleting is refused while an operation is active on it.
    if (status.done) await step.run("remove-scratch", () => removeScratch(start.collectionId, start.scratch, runId));
    return { ok: verdict.ok, backupId: start.backupId, scratch: start.scratch };
  },
);

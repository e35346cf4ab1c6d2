import { checkProgress } from "@/lib/pipeline/coordinate";
import { cleanUpCancelled, finishSourceOperation, prepareTarget } from "@/lib/pipeline/lifecycle";
import { registerSourceDocuments } from "@/lib/pipeline/register";
import { recordCheckpoint } from "@/lib/services/operation/progress";
import { inngest } from "../client";
import { failCollectionOperation, waitForCollectionTurn } from "./collection-turn";
import { documentsSettled, sourceIndexRequested } from "../events";

/** How often progress is published and stuck documents looked for while the pipeline works. */
const POLL = "1s";

/**
 * INDEX and APPEND: wait for the collection's turn, prepare the target, scan the source (which hands
 * the documents to the pipeline in batches as it goes), then follow them until every one is
 * complete or dead: every POLL, or at once when the last batch reports that all have settled.
 * Each phase is a checkpoint on the operation.
 */
export const indexSource = inngest.createFunction(
  {
    id: "index-source",
    retries: 5,
    triggers: [sourceIndexRequested],
    onFailure: failCollectionOperation,
  },
  async ({ event, step }) => {
    const { operationId } = event.data;
    if (!(await waitForCollectionTurn(step, operationId))) return { skipped: "the operation was cancelled before it started" };
    await step.run("preflight", async () => {
      await recordCheckpoint(operationId, "preflight", { status: "running" });
      const target = await prepareTarget(operationId);
      await recordCheckpoint(operationId, "preflight", { status: "succeeded", output: target });
    });
    const scan = await step.run("scan-source", async () => {
      await recordCheckpoint(operationId, "scan", { status: "running" });
      await recordCheckpoint(operationId, "process", { status: "running" });
      const result = await registerSourceDocuments(operationId);
      await recordCheckpoint(operationId, "scan", { status: "succeeded", output: result });
      return result;
    });
    for (let i = 0; ; i++) {
      const progress = await step.run(`check-${i}`, () => checkProgress(operationId));
      if (progress.cancelled) {
        await step.run("clean-up-cancelled", async () => {
          const { reset } = await cleanUpCancelled(operationId);
          await recordCheckpoint(operationId, "process", { status: "failed", error: `Cancelled; ${reset} unfinished document(s) rolled back.` });
        });
        return { cancelled: true };
      }
      if (progress.active === 0) break;
      await step.waitForEvent(`follow-${i}`, { event: documentsSettled, match: "data.operationId", timeout: POLL });
    }
    return step.run("finish", async () => {
      await recordCheckpoint(operationId, "process", { status: "succeeded" });
      const result = await finishSourceOperation(operationId, scan);
      await recordCheckpoint(operationId, "finish", { status: "succeeded", output: result });
      return result;
    });
  },
);

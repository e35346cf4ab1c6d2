import { deleteSourceRow, prepareTarget, removeSourceBatch } from "@/lib/pipeline/lifecycle";
import { finishOperation, recordCheckpoint, setOperationProgress } from "@/lib/services/operation/progress";
import { inngest } from "../client";
import { failCollectionOperation, waitForCollectionTurn } from "./collection-turn";
import { sourceRemoveRequested } from "../events";

/** REMOVE_SOURCE: delete the source's points and documents in batches of 500, then the source. */
export const removeSource = inngest.createFunction(
  {
    id: "remove-source",
    retries: 5,
    triggers: [sourceRemoveRequested],
    onFailure: failCollectionOperation,
  },
  async ({ event, step }) => {
    const { operationId } = event.data;
    if (!(await waitForCollectionTurn(step, operationId))) return { skipped: true };
    const { total } = await step.run("preflight", async () => {
      await prepareTarget(operationId);
      const counted = await deleteSourceRow(operationId, { countOnly: true });
      await recordCheckpoint(operationId, "preflight", { status: "succeeded", output: counted });
      return counted;
    });
    let removed = 0;
    let points = 0;
    for (let i = 0; ; i++) {
      const batch = await step.run(`remove-batch-${i}`, () => removeSourceBatch(operationId));
      removed += batch.removed;
      points += batch.points;
      await step.run(`progress-${i}`, () => setOperationProgress(operationId, { done: removed, total, unit: "documents" }));
      if (!batch.remaining) break;
    }
    return step.run("finish", async () => {
      await deleteSourceRow(operationId, { countOnly: false });
      await recordCheckpoint(operationId, "remove", { status: "succeeded", output: { removed, points } });
      const result = { documentsRemoved: removed, pointsRemoved: points };
      await finishOperation(operationId, { status: "succeeded", result, metrics: { documents: removed, vectors: points } });
      return result;
    });
  },
);

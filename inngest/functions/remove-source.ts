import { countSourceDocuments, deleteSourceRow, removeSourceBatches } from "@/lib/pipeline/remove";
import { stopOnPermanent } from "@/lib/pipeline/stop";
import { prepareTarget } from "@/lib/pipeline/target";
import { finishOperation, recordCheckpoint } from "@/lib/services/operation/progress";
import { inngest } from "../client";
import { operationCancelRequested, sourceRemoveRequested } from "../events";
import { chainedRun, failCollectionOperation, waitForCollectionTurn } from "./collection-turn";

/**
 * REMOVE_SOURCE: delete the source's points and documents, batch after batch, a step at a time
 * (each bounded in time, checking for a cancel before every batch), then the source. Before the
 * run's step budget is spent it continues in a fresh run, as index-source does.
 */
export const removeSource = inngest.createFunction(
  {
    id: "remove-source",
    retries: 5,
    // Its few steps (turn, checks, continuation, finish) go ahead of the batches it queued.
    priority: { run: "120" },
    triggers: [sourceRemoveRequested],
    cancelOn: [{ event: operationCancelRequested, match: "data.operationId" }],
    onFailure: failCollectionOperation,
  },
  async ({ event, step }) => {
    const { operationId } = event.data;
    const { ref, from, budget, continueIn } = chainedRun(step, "remove-source", sourceRemoveRequested.name, event.data);

    let total = from?.total ?? 0;
    if (!from || from.phase === "turn") {
      const turn = await waitForCollectionTurn(step, operationId, budget);
      if (turn.status === "cancelled") return { skipped: "the operation was cancelled before it started" };
      if (turn.status === "continue") return continueIn({ phase: "turn" });
      ({ total } = await step.run("preflight", () =>
        stopOnPermanent(ref, async () => {
          await prepareTarget(operationId);
          const counted = await countSourceDocuments(operationId);
          await recordCheckpoint(operationId, "preflight", { status: "succeeded", output: counted });
          await recordCheckpoint(operationId, "remove", { status: "running" });
          return counted;
        }),
      ));
      budget.spend();
    }

    let removed = from?.removed ?? 0;
    let points = from?.points ?? 0;
    for (let i = 0; ; i++) {
      if (!budget.fits(2)) return continueIn({ phase: "remove", removed, points, total });
      const done = await step.run(`remove-${i}`, () => stopOnPermanent(ref, () => removeSourceBatches(operationId, { removed, total })));
      budget.spend();
      removed += done.removed;
      points += done.points;
      if (done.cancelled) return { cancelled: true, removed };
      if (!done.remaining) break;
    }
    return step.run("finish", () =>
      stopOnPermanent(ref, async () => {
        await deleteSourceRow(operationId);
        await recordCheckpoint(operationId, "remove", { status: "succeeded", output: { removed, points } });
        const result = { documentsRemoved: removed, pointsRemoved: points };
        await finishOperation(operationId, { status: "succeeded", result, metrics: { documents: removed, vectors: points } });
        return result;
      }),
    );
  },
);

import { checkProgress } from "@/lib/pipeline/progress";
import { finishSourceOperation } from "@/lib/pipeline/finish";
import type { ScanResult } from "@/lib/pipeline/register";
import { EMPTY_SCAN, scanSourceSlice } from "@/lib/pipeline/scan";
import { stopOnPermanent } from "@/lib/pipeline/stop";
import { prepareTarget } from "@/lib/pipeline/target";
import { recordCheckpoint } from "@/lib/services/operation/progress";
import { inngest } from "../client";
import { documentsSettled, operationCancelRequested, sourceIndexRequested } from "../events";
import { chainedRun, failCollectionOperation, waitForCollectionTurn } from "./collection-turn";

/**
 * How long the follow loop waits for documents-settled before it checks by itself (stuck
 * documents, or a settle that came between its check and its wait): 1 s, doubling, up to 30 s.
 */
const followCheck = (i: number) => `${Math.min(30, 2 ** i)}s`;

/**
 * INDEX and APPEND: wait for the collection's turn, prepare the target, scan the source in
 * bounded slices (each hands its documents to the pipeline as it goes), then follow them until
 * every one is complete or dead, waking when the batches say all have settled. Before the run's
 * step budget is spent it sends its own trigger again with where it stands (a continuation with a
 * deterministic id) and ends; the next run goes on from there.
 */
export const indexSource = inngest.createFunction(
  {
    id: "index-source",
    retries: 5,
    // Its few steps (turn, checks, continuation, finish) go ahead of the batches it queued.
    priority: { run: "120" },
    triggers: [sourceIndexRequested],
    cancelOn: [{ event: operationCancelRequested, match: "data.operationId" }],
    onFailure: failCollectionOperation,
  },
  async ({ event, step }) => {
    const { operationId, correlationId } = event.data;
    const { ref, from, budget, continueIn } = chainedRun(step, "index-source", sourceIndexRequested.name, event.data);

    let phase = from?.phase ?? "turn";
    if (phase === "turn") {
      const turn = await waitForCollectionTurn(step, operationId, budget);
      if (turn.status === "cancelled") return { skipped: "the operation was cancelled before it started" };
      if (turn.status === "continue") return continueIn({ phase: "turn" });
      await step.run("preflight", () =>
        stopOnPermanent(ref, async () => {
          await recordCheckpoint(operationId, "preflight", { status: "running" });
          const target = await prepareTarget(operationId);
          await recordCheckpoint(operationId, "preflight", { status: "succeeded", output: target });
          await recordCheckpoint(operationId, "scan", { status: "running" });
          await recordCheckpoint(operationId, "process", { status: "running" });
        }),
      );
      budget.spend();
      phase = "scan";
    }

    let scan: { cursor: string | null; totals: ScanResult } = { cursor: from?.cursor ?? null, totals: from?.scan ?? EMPTY_SCAN };
    for (let slice = from?.slice ?? 0; phase === "scan"; slice++) {
      if (!budget.fits(1)) return continueIn({ phase, cursor: scan.cursor, slice, scan: scan.totals });
      const walked = await step.run(`scan-${slice}`, () =>
        stopOnPermanent(ref, async () => {
          const result = await scanSourceSlice(ref, scan);
          if (result.done) await recordCheckpoint(operationId, "scan", { status: "succeeded", output: result.totals });
          return result;
        }),
      );
      budget.spend();
      if (walked.cancelled) return { cancelled: true };
      scan = walked;
      if (walked.done) phase = "follow";
    }

    for (let i = 0; ; i++) {
      if (!budget.fits(3)) return continueIn({ phase: "follow", scan: scan.totals });
      const progress = await step.run(`check-${i}`, () => checkProgress(operationId, correlationId));
      budget.spend();
      if (progress.cancelled) return { cancelled: true };
      if (progress.active === 0) break;
      await step.waitForEvent(`follow-${i}`, { event: documentsSettled, match: "data.operationId", timeout: followCheck(i) });
      budget.spend();
    }
    return step.run("finish", () =>
      stopOnPermanent(ref, async () => {
        await recordCheckpoint(operationId, "process", { status: "succeeded" });
        const result = await finishSourceOperation(operationId, scan.totals);
        await recordCheckpoint(operationId, "finish", { status: "succeeded", output: result });
        return result;
      }),
    );
  },
);

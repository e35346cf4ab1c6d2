import { loadReindex } from "@/lib/reindex/params";
import { awaitApproval, concludeApproval, createStaging, finishReindex, preflightReindex, recordedDecision, reprocessStep, switchReindex, validateReindex, type Decision } from "@/lib/reindex/run";
import { stopOnPermanent } from "@/lib/pipeline/stop";
import { openOperationWindow } from "@/lib/silences/windows";
import { inngest } from "../client";
import { operationCancelRequested, reindexDecided, reindexRequested, versionRetired } from "../events";
import { chainedRun, failCollectionOperation, waitForCollectionTurn } from "./collection-turn";

/**
 * How long one approval wait lasts before the run looks for a decision itself: 1 s, doubling, up
 * to 15 min. A decision made between a look and the wait's start has no wait to wake (Inngest
 * matches only events that come after), so the next look finds it; over 24 h this is ~110 looks.
 */
const approvalRecheck = (i: number) => Math.min(15 * 60_000, 1000 * 2 ** i);

/**
 * REINDEX, blue-green: wait for the collection's turn → preflight → staging (version n+1) →
 * reprocessing (every document re-chunked and re-embedded from its kept text, a batch at a time,
 * resumable from the last finished batch) → validation → approval, if asked → switch (the alias
 * moves atomically) → cleanup (the old version is kept for the rollback window, then dropped by
 * version-cleanup). Anything before the switch that fails gives the staging version up.
 */
export const reindexCollection = inngest.createFunction(
  {
    id: "reindex-collection",
    retries: 5,
    priority: { run: "120" },
    triggers: [reindexRequested],
    cancelOn: [{ event: operationCancelRequested, match: "data.operationId" }],
    onFailure: failCollectionOperation,
  },
  async ({ event, step }) => {
    const { operationId } = event.data;
    const { ref, from, budget, continueIn } = chainedRun(step, "reindex-collection", reindexRequested.name, event.data);

    let phase = from?.phase ?? "turn";
    if (phase === "turn") {
      const turn = await waitForCollectionTurn(step, operationId, budget);
      if (turn.status === "cancelled") return { skipped: "the operation was cancelled before it started" };
      if (turn.status === "continue") return continueIn({ phase: "turn" });
      await step.run("preflight", () => stopOnPermanent(ref, () => preflightReindex(operationId)));
      await step.run("staging", () => stopOnPermanent(ref, () => createStaging(operationId)));
      budget.spend(2);
      phase = "reprocess";
    }

    if (phase === "reprocess") {
      for (let i = from?.slice ?? 0; ; i++) {
        if (!budget.fits(1)) return continueIn({ phase, slice: i });
        const done = await step.run(`reprocess-${i}`, () => stopOnPermanent(ref, () => reprocessStep(operationId)));
        budget.spend();
        if (done.cancelled) return { cancelled: true };
        if (done.done) break;
      }
      const validated = await step.run("validation", () => stopOnPermanent(ref, () => validateReindex(operationId)));
      budget.spend();
      if (!validated.passed) return { passed: false };
      phase = "approval";
    }

    // Around the switch (from validation passed, through approval, to the end): the collection's alerts are held.
    await step.run("open-maintenance-window", () => openOperationWindow(operationId, "around the reindex switch"));
    budget.spend();
    const needsApproval = await step.run("approval-required", () => stopOnPermanent(ref, async () => (await loadReindex(operationId)).params.requireApproval));
    budget.spend();
    if (needsApproval) {
      // The decision is written by the approve / reject verb before its event is sent, so a
      // decision that came while no wait was open is found by the next look.
      const { deadline } = await step.run("await-approval", () => stopOnPermanent(ref, () => awaitApproval(operationId)));
      budget.spend();
      let decided: Decision | null = null;
      for (let i = from?.phase === "approval" ? (from.slice ?? 0) : 0; ; i++) {
        if (!budget.fits(2)) return continueIn({ phase: "approval", slice: i });
        // The time left is read inside the step, so a replay takes the same branch.
        const look = await step.run(`decision-${i}`, async () => ({ decided: await recordedDecision(operationId), leftMs: Date.parse(deadline) - Date.now() }));
        budget.spend();
        decided = look.decided;
        if (decided || look.leftMs <= 0) break;
        await step.waitForEvent(`decided-${i}`, { event: reindexDecided, match: "data.operationId", timeout: Math.max(1000, Math.min(look.leftMs, approvalRecheck(i))) });
        budget.spend();
      }
      const { approved } = await step.run("approval-concluded", () => stopOnPermanent(ref, () => concludeApproval(operationId, decided)));
      if (!approved) return { approved: false };
    }

    const switched = await step.run("switch", () => stopOnPermanent(ref, () => switchReindex(operationId)));
    if (switched.retired) await step.sendEvent("schedule-cleanup", { id: `retired-${switched.retired.versionId}-${operationId}`, name: versionRetired.name, data: { versionId: switched.retired.versionId, deleteAfter: switched.retired.deleteAfter } });
    return step.run("finish", () => stopOnPermanent(ref, () => finishReindex(operationId, switched)));
  },
);

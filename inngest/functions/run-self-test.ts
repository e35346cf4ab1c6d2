import { finishOperation, markOperationRunning, recordCheckpoint, setOperationProgress } from "@/lib/services/operation/progress";
import { internalError } from "@/lib/pipeline/errors";
import { operationLogger } from "@/lib/pipeline/log";
import { inngest } from "../client";
import { operationCancelRequested, selfTestRequested } from "../events";

export type SelfTestResult = { operationId: string; checks: string[]; retriedStepAttempts: number; durationMs: number };

const TOTAL = 5;
const progress = (operationId: string, done: number) => setOperationProgress(operationId, { done, total: TOTAL, unit: "checkpoints" });

/**
 * Exercises the durable-execution path end to end, recording each checkpoint on its SELF_TEST
 * operation: steps, a sleep, and a step that fails its first attempt and succeeds on retry.
 */
export const runSelfTest = inngest.createFunction(
  {
    id: "run-self-test",
    retries: 3,
    triggers: [selfTestRequested],
    cancelOn: [{ event: operationCancelRequested, match: "data.operationId" }],
    onFailure: async ({ event, error }) => {
      // The cause goes to the log; the operation shows only where to find it.
      const ref = event.data.event.data;
      operationLogger(ref).error({ cause: error }, "self-test failed after its retries");
      await finishOperation(ref.operationId, { status: "failed", error: `Self-test failed: ${internalError(ref.correlationId)}` });
    },
  },
  async ({ event, step, attempt }) => {
    const { operationId } = event.data;
    const startedAt = await step.run("record-start", async () => {
      await markOperationRunning(operationId);
      await recordCheckpoint(operationId, "record-start", { status: "succeeded" });
      await progress(operationId, 1);
      return Date.now();
    });
    const echo = await step.run("echo-event", async () => {
      await recordCheckpoint(operationId, "echo-event", { status: "succeeded", output: { eventName: event.name } });
      await recordCheckpoint(operationId, "pause", { status: "running" });
      await progress(operationId, 2);
      return { operationId };
    });
    await step.sleep("pause", "2s");
    const retried = await step.run("flaky-check", async () => {
      // The first attempt fails on purpose: it proves retries reach the step again.
      if (attempt === 0) {
        await recordCheckpoint(operationId, "pause", { status: "succeeded" });
        await recordCheckpoint(operationId, "flaky-check", { status: "running", attempts: 1, error: "deliberate first-attempt failure; retrying" });
        await progress(operationId, 3);
        throw new Error("self-test: deliberate first-attempt failure");
      }
      await recordCheckpoint(operationId, "flaky-check", { status: "succeeded", attempts: attempt + 1 });
      await progress(operationId, 4);
      return attempt + 1;
    });
    return step.run("record-finish", async () => {
      const result: SelfTestResult = { operationId: echo.operationId, checks: ["steps", "sleep", "retry"], retriedStepAttempts: retried, durationMs: Date.now() - startedAt };
      await recordCheckpoint(operationId, "record-finish", { status: "succeeded" });
      await progress(operationId, TOTAL);
      await finishOperation(operationId, { status: "succeeded", result });
      return result;
    });
  },
);

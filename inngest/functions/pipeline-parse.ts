import { announceIfSettled, dispatch } from "@/lib/pipeline/dispatch";
import { applyFailure } from "@/lib/pipeline/failure";
import { logBatchRetry, logParseBatch } from "@/lib/pipeline/operation-log";
import { parseBatch } from "@/lib/pipeline/parse-batch";
import { publishProgressThrottled } from "@/lib/pipeline/progress";
import { inngest } from "../client";
import { parseRequested } from "../events";

/**
 * Pipeline stage 1 (parse → validate → chunk) for a batch; passes what it chunked to stage 2, or,
 * when nothing is left to embed and no other document is on its way, says the operation has settled.
 */
export const pipelineParse = inngest.createFunction(
  {
    id: "pipeline-parse",
    retries: 3,
    concurrency: { limit: 4 },
    triggers: [parseRequested],
    onFailure: async ({ event, error }) => applyFailure(event.data.event.data, "parse", error.message),
  },
  // No step: the batch is one unit of work, and a run without steps is one call instead of two. A
  // retried run redoes it (parseBatch resumes by stage; event ids keep it from sending twice).
  async ({ event, attempt, maxAttempts }) => {
    const { operationId, correlationId, batch } = event.data;
    const ref = { operationId, correlationId };
    try {
      const { chunked, parsed, dead } = await parseBatch(event.data);
      await logParseBatch(ref, batch, { parsed, dead });
      if (chunked.length) await dispatch("embed", ref, chunked, batch);
      else await announceIfSettled(ref);
      await publishProgressThrottled(operationId);
      return { chunked: chunked.length, dead: dead.length };
    } catch (err) {
      if (maxAttempts === undefined || attempt + 1 < maxAttempts) await logBatchRetry(ref, { stage: "parse", batch, attempt, maxAttempts }, err);
      throw err;
    }
  },
);

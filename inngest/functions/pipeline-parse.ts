import { announceIfSettled, dispatch } from "@/lib/pipeline/coordinate";
import { applyFailure } from "@/lib/pipeline/failure";
import { parseBatch } from "@/lib/pipeline/parse-batch";
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
  // One step: what comes next is sent from inside it (event ids keep a retried step from sending twice).
  async ({ event, step }) =>
    step.run("parse-batch", async () => {
      const { operationId, batch } = event.data;
      const { chunked, dead } = await parseBatch(event.data);
      if (chunked.length) await dispatch("embed", operationId, chunked, batch);
      else await announceIfSettled(operationId);
      return { chunked: chunked.length, dead };
    }),
);

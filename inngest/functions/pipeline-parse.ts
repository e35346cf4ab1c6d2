import { allSettled } from "@/lib/pipeline/coordinate";
import { applyFailure } from "@/lib/pipeline/failure";
import { parseBatch } from "@/lib/pipeline/parse-batch";
import { inngest } from "../client";
import { documentsSettled, embedRequested, parseRequested } from "../events";

/**
 * Pipeline stage 1 (parse → validate → chunk) for a batch; passes what it chunked to stage 2, or,
 * when nothing is left to embed and no other document is on its way, says the operation has settled.
 */
export const pipelineParse = inngest.createFunction(
  {
    id: "pipeline-parse",
    retries: 3,
    concurrency: { limit: 2 },
    triggers: [parseRequested],
    onFailure: async ({ event, error }) => applyFailure(event.data.event.data, "parse", error.message),
  },
  async ({ event, step }) => {
    const { operationId, batch } = event.data;
    const { chunked, dead, settled } = await step.run("parse-batch", async () => {
      const parsed = await parseBatch(event.data);
      return { ...parsed, settled: parsed.chunked.length === 0 && (await allSettled(operationId)) };
    });
    if (chunked.length) {
      await step.sendEvent("request-embed", { id: `${operationId}:embed:${batch}`, name: embedRequested.name, data: { operationId, batch, documentIds: chunked } });
    }
    if (settled) await step.sendEvent("settled", { name: documentsSettled.name, data: { operationId } });
    return { chunked: chunked.length, dead };
  },
);

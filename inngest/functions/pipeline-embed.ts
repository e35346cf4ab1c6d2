import { RetryAfterError } from "inngest";
import { EmbedderError } from "@/lib/embeddings/types";
import { announceIfSettled } from "@/lib/pipeline/coordinate";
import { embedBatch } from "@/lib/pipeline/embed-batch";
import { applyFailure } from "@/lib/pipeline/failure";
import { inngest } from "../client";
import { embedRequested } from "../events";

/**
 * Pipeline stage 2 (embed → store) for a batch. An unavailable embedder (open breaker, 429, 5xx)
 * makes the step wait and retry, for as long as the breaker says, rather than failing documents.
 * The batch that leaves no document of its operation on its way says the operation has settled.
 */
export const pipelineEmbed = inngest.createFunction(
  {
    id: "pipeline-embed",
    retries: 20,
    concurrency: { limit: 4 },
    triggers: [embedRequested],
    onFailure: async ({ event, error }) => applyFailure(event.data.event.data, "embed", error.message),
  },
  async ({ event, step }) =>
    step.run("embed-and-store", async () => {
      try {
        const stored = await embedBatch(event.data);
        await announceIfSettled(event.data.operationId);
        return stored;
      } catch (err) {
        if (err instanceof EmbedderError && err.retryable) throw new RetryAfterError(err.message, Math.max(1000, err.retryAfterMs ?? 5000));
        throw err;
      }
    }),
);

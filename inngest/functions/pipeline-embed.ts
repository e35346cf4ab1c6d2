import { RetryAfterError } from "inngest";
import { EmbedderError } from "@/lib/embeddings/types";
import { announceIfSettled } from "@/lib/pipeline/dispatch";
import { embedBatch } from "@/lib/pipeline/embed-batch";
import { applyFailure } from "@/lib/pipeline/failure";
import { logBatchRetry, logEmbedBatch } from "@/lib/pipeline/operation-log";
import { publishProgressThrottled } from "@/lib/pipeline/progress";
import { inngest } from "../client";
import { embedRequested } from "../events";

/**
 * Pipeline stage 2 (embed → store) for a batch. An unavailable embedder (open breaker, 429, 5xx)
 * makes the run wait and retry, for as long as the breaker says, rather than failing documents.
 * The batch that leaves no document of its operation on its way says the operation has settled;
 * the others publish its progress (throttled), so the operation's own function need not poll.
 */
export const pipelineEmbed = inngest.createFunction(
  {
    id: "pipeline-embed",
    retries: 20,
    concurrency: { limit: 4 },
    triggers: [embedRequested],
    onFailure: async ({ event, error }) => applyFailure(event.data.event.data, "embed", error.message),
  },
  // No step, as pipeline-parse: one call per batch; a retried run redoes the batch (upserts are idempotent).
  async ({ event, attempt, maxAttempts }) => {
    const { operationId, correlationId, batch } = event.data;
    const ref = { operationId, correlationId };
    try {
      const stored = await embedBatch(event.data);
      await logEmbedBatch(ref, batch, stored);
      if (!(await announceIfSettled(ref))) await publishProgressThrottled(operationId);
      return stored;
    } catch (err) {
      const retryInMs = err instanceof EmbedderError && err.retryable ? Math.max(1000, err.retryAfterMs ?? 5000) : undefined;
      // The last attempt's failure is onFailure's to log: its documents are failed, not retried here.
      if (maxAttempts === undefined || attempt + 1 < maxAttempts) await logBatchRetry(ref, { stage: "embed", batch, attempt, maxAttempts, retryInMs }, err);
      if (retryInMs !== undefined) throw new RetryAfterError((err as Error).message, retryInMs, { cause: err });
      throw err;
    }
  },
);

import { applyFailure } from "@/lib/pipeline/failure";
import { parseBatch } from "@/lib/pipeline/parse-batch";
import { inngest } from "../client";
import { embedRequested, parseRequested } from "../events";

/** Pipeline stage 1 (parse → validate → chunk) for a batch; passes what it chunked to stage 2. */
export const pipelineParse = inngest.createFunction(
  {
    id: "pipeline-parse",
    retries: 3,
    concurrency: { limit: 2 },
    triggers: [parseRequested],
    onFailure: async ({ event, error }) => applyFailure(event.data.event.data, "parse", error.message),
  },
  async ({ event, step }) => {
    const { chunked, dead } = await step.run("parse-batch", () => parseBatch(event.data));
    if (chunked.length) {
      await step.sendEvent("request-embed", { id: `${event.data.batch}:embed`, name: embedRequested.name, data: { operationId: event.data.operationId, batch: event.data.batch, documentIds: chunked } });
    }
    return { chunked: chunked.length, dead };
  },
);

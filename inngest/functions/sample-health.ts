import { pruneHealthSamples, recordHealthSample } from "@/lib/services/health/sample";
import { inngest } from "../client";

/** Every minute: one health sample (components, memory, disk, the app's figures), then the samples past retention. */
export const sampleHealth = inngest.createFunction(
  // One at a time: a slow minute must not pile samples up behind it.
  { id: "sample-health", retries: 1, concurrency: { limit: 1 }, triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    const sample = await step.run("record-sample", () => recordHealthSample());
    const pruned = await step.run("prune-old-samples", () => pruneHealthSamples());
    return { sampleId: sample.id, status: sample.status, pruned: pruned.deleted };
  },
);

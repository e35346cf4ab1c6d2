import { dropRetiredVersion } from "@/lib/reindex/cleanup";
import { inngest } from "../client";
import { versionRetired } from "../events";

/**
 * The end of a rollback window: sleeps until the retired version's `deleteAfter`, then drops it,
 * unless it was kept, switched back to, or given a later deadline (another run waits for that one).
 */
export const versionCleanup = inngest.createFunction(
  { id: "version-cleanup", retries: 5, triggers: [versionRetired] },
  async ({ event, step }) => {
    await step.sleepUntil("rollback-window", new Date(event.data.deleteAfter));
    return step.run("drop", () => dropRetiredVersion(event.data.versionId));
  },
);

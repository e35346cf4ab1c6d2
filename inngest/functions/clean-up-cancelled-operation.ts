import { cleanUpCancelled } from "@/lib/pipeline/rollback";
import { inngest } from "../client";
import { operationCancelRequested } from "../events";

/**
 * After an operation is cancelled (the cancel event also stops its run through cancelOn): roll
 * back the documents it left unfinished and their points, settle the collection, and hand the
 * collection's turn to the next queued operation.
 */
export const cleanUpCancelledOperation = inngest.createFunction(
  {
    id: "clean-up-cancelled-operation",
    retries: 5,
    // Ahead of queued pipeline batches: a cancel takes effect within seconds however many wait.
    priority: { run: "600" },
    triggers: [operationCancelRequested],
  },
  async ({ event, step }) => step.run("roll-back", () => cleanUpCancelled(event.data)),
);

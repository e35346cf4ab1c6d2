import { verifyCheckpoint } from "@/lib/backup/operations";
import { stopOnPermanent } from "@/lib/pipeline/stop";
import { inngest } from "../client";
import { backupVerifyRequested, operationCancelRequested } from "../events";
import { failCollectionOperation } from "./collection-turn";

/** VERIFY_BACKUP: reads the file whole and records the verdict; it changes no collection, so it takes no turn. */
export const verifyBackup = inngest.createFunction(
  {
    id: "verify-backup",
    retries: 3,
    triggers: [backupVerifyRequested],
    cancelOn: [{ event: operationCancelRequested, match: "data.operationId" }],
    onFailure: failCollectionOperation,
  },
  async ({ event, step }) => {
    const { operationId, correlationId } = event.data;
    return step.run("verify", () => stopOnPermanent({ operationId, correlationId }, () => verifyCheckpoint(operationId)));
  },
);

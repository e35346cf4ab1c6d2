import { NonRetriableError } from "inngest";
import { appendOperationLog } from "@/lib/services/operation/progress";
import { permanentReason } from "./errors";
import { operationLogger, type OperationRef } from "./log";
import { failOperation } from "./rollback";

/**
 * Runs a step's work. A permanent failure (see permanentReason) is written to the operation's
 * log with its reason, fails the operation with that reason, and is rethrown as a
 * NonRetriableError so the run stops at once. Anything else is rethrown for the step to retry.
 */
export async function stopOnPermanent<T>(ref: OperationRef, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const reason = permanentReason(err);
    if (reason === undefined) throw err;
    operationLogger(ref).warn({ err }, "operation stopped by a permanent error");
    await appendOperationLog(ref.operationId, "error", `Stopped: ${reason}`, { correlationId: ref.correlationId });
    await failOperation(ref, `Stopped: ${reason}`);
    throw new NonRetriableError(reason, { cause: err });
  }
}

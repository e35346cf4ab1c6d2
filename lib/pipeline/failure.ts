import { getDb } from "@/db/client";
import { operationLogger } from "./log";
import { logBatchGaveUp } from "./operation-log";
import { applyStageChanges } from "./stages";

/**
 * A batch function gave up after its retries: its documents become `failed` (transient), and the
 * operation's follow-up loop requeues them with backoff until they succeed or run out of attempts.
 * The raw error goes to the log only; the documents show a classified message.
 */
export async function applyFailure(batch: { operationId: string; correlationId?: string; batch?: string; documentIds: string[] }, stage: "parse" | "embed", message: string): Promise<void> {
  const now = new Date();
  const from = stage === "parse" ? (["uploaded", "parsing", "parsed", "validated"] as const) : (["chunked", "embedding", "embedded", "stored"] as const);
  const failed = await applyStageChanges(
    getDb(),
    batch.operationId,
    batch.documentIds.flatMap((id) => [
      { id, stage: stage === "parse" ? ("parsing" as const) : ("embedding" as const), at: now },
      { id, stage: "failed" as const, at: now, errorClass: `${stage}_error`, message: `The ${stage} step failed after its retries; it will be tried again (correlation id ${batch.correlationId ?? "unknown"}).` },
    ]),
    [...from],
  );
  operationLogger(batch).warn({ stage, documents: failed.length, cause: message }, "pipeline batch failed; documents will be retried");
  await logBatchGaveUp(batch, stage, batch.batch, failed.length);
}

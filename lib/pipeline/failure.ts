import { getDb } from "@/db/client";
import { getLogger } from "@/lib/observability/logger";
import { applyStageChanges } from "./stages";

/**
 * A batch function gave up after its retries: its documents become `failed` (transient), and the
 * operation's follow-up loop requeues them with backoff until they succeed or run out of attempts.
 */
export async function applyFailure(batch: { operationId: string; documentIds: string[] }, stage: "parse" | "embed", message: string): Promise<void> {
  const now = new Date();
  const from = stage === "parse" ? (["uploaded", "parsing", "parsed", "validated"] as const) : (["chunked", "embedding", "embedded", "stored"] as const);
  const failed = await applyStageChanges(
    getDb(),
    batch.operationId,
    batch.documentIds.flatMap((id) => [
      { id, stage: stage === "parse" ? ("parsing" as const) : ("embedding" as const), at: now },
      { id, stage: "failed" as const, at: now, errorClass: `${stage}_error`, message: message.slice(0, 500) },
    ]),
    [...from],
  );
  getLogger().warn({ operationId: batch.operationId, stage, documents: failed.length }, "pipeline batch failed; documents will be retried");
}

import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { formatCount } from "@/lib/format";
import { formatShare, SUCCEEDED_WITH_FAILURES } from "@/lib/operation-status";
import { finishOperation } from "@/lib/services/operation/progress";
import { loadOperation } from "./context";
import { settleDuplicatesOf } from "./duplicates";
import type { ScanResult } from "./register";
import { settleTarget } from "./target";

export type SourceOperationResult = {
  files: number;
  inserted: number;
  unchanged: number;
  /** Copies of indexed documents; copies of dead letters are in `failed`, and counted apart in `duplicateOfDead`. */
  duplicate: number;
  duplicateOfDead: number;
  failed: number;
  chunks: number;
  points: number;
  outcome: "succeeded" | typeof SUCCEEDED_WITH_FAILURES;
  /** Of this operation's documents (unchanged files aside), the share that is dead, 0..1. */
  failedShare: number;
};

/** INDEX / APPEND end: the operation's result from its documents' stages, the collection settled and freed. */
export async function finishSourceOperation(operationId: string, scan: ScanResult): Promise<SourceOperationResult> {
  const { collection, params } = await loadOperation(operationId);
  await settleDuplicatesOf(getDb(), operationId);
  const counts = await getDb()
    .select({
      inserted: sql<number>`count(*) filter (where ${documents.stage} = 'complete' and ${documents.duplicateOf} is null)::int`,
      duplicate: sql<number>`count(*) filter (where ${documents.stage} = 'complete' and ${documents.duplicateOf} is not null)::int`,
      duplicateOfDead: sql<number>`count(*) filter (where ${documents.stage} = 'dead' and ${documents.duplicateOf} is not null)::int`,
      failed: sql<number>`count(*) filter (where ${documents.stage} = 'dead')::int`,
      chunks: sql<number>`coalesce(sum(${documents.chunkCount}) filter (where ${documents.stage} = 'complete' and ${documents.duplicateOf} is null), 0)::int`,
      bytes: sql<number>`coalesce(sum(${documents.sizeBytes}), 0)::bigint`,
    })
    .from(documents)
    .where(eq(documents.operationId, operationId));
  const c = counts[0]!;
  const points = await settleTarget(collection.id, params.targetCollection ?? collection.name, operationId);
  const handled = c.inserted + c.duplicate + c.failed;
  const failedShare = handled > 0 ? Math.round((c.failed / handled) * 1000) / 1000 : 0;
  const outcome = c.failed > 0 ? SUCCEEDED_WITH_FAILURES : "succeeded";
  const result: SourceOperationResult = { files: scan.files, inserted: c.inserted, unchanged: scan.unchanged, duplicate: c.duplicate, duplicateOfDead: c.duplicateOfDead, failed: c.failed, chunks: c.chunks, points, outcome, failedShare };
  await finishOperation(operationId, {
    status: "succeeded",
    result,
    error: c.failed ? `${c.failed} document(s) could not be indexed: see Dead letters.` : undefined,
    metrics: { documents: c.inserted, chunks: c.chunks, vectors: c.chunks, bytes: Number(c.bytes) },
    log: { level: c.failed ? "warn" : "info", message: finishLine(result) },
  });
  return result;
}

/** "Finished: 12 indexed, 1 duplicate, 6 dead (32 %, 2 of them copies of dead letters); 3 unchanged; 40 chunks." */
function finishLine(r: SourceOperationResult): string {
  const dead = r.failed ? ` (${formatShare(r.failedShare)}${r.duplicateOfDead ? `, ${formatCount(r.duplicateOfDead)} of them copies of dead letters` : ""})` : "";
  const verdict = r.failed ? "Finished with failures" : "Finished";
  return `${verdict}: ${formatCount(r.inserted)} indexed, ${formatCount(r.duplicate)} duplicate(s), ${formatCount(r.failed)} dead${dead}; ${formatCount(r.unchanged)} unchanged; ${formatCount(r.chunks)} chunks.`;
}

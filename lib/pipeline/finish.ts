import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { finishOperation } from "@/lib/services/operation/progress";
import { loadOperation } from "./context";
import type { ScanResult } from "./register";
import { settleTarget } from "./target";

/** INDEX / APPEND end: the operation's result from its documents' stages, the collection settled and freed. */
export async function finishSourceOperation(operationId: string, scan: ScanResult): Promise<Record<string, number>> {
  const { collection, params } = await loadOperation(operationId);
  const counts = await getDb()
    .select({
      inserted: sql<number>`count(*) filter (where ${documents.stage} = 'complete' and ${documents.duplicateOf} is null)::int`,
      duplicate: sql<number>`count(*) filter (where ${documents.duplicateOf} is not null)::int`,
      failed: sql<number>`count(*) filter (where ${documents.stage} = 'dead')::int`,
      chunks: sql<number>`coalesce(sum(${documents.chunkCount}) filter (where ${documents.stage} = 'complete' and ${documents.duplicateOf} is null), 0)::int`,
      bytes: sql<number>`coalesce(sum(${documents.sizeBytes}), 0)::bigint`,
    })
    .from(documents)
    .where(eq(documents.operationId, operationId));
  const c = counts[0]!;
  const points = await settleTarget(collection.id, params.targetCollection ?? collection.name, operationId);
  const result = { files: scan.files, inserted: c.inserted, unchanged: scan.unchanged, duplicate: c.duplicate, failed: c.failed, chunks: c.chunks, points };
  await finishOperation(operationId, { status: "succeeded", result, error: c.failed ? `${c.failed} document(s) could not be indexed: see Dead letters.` : undefined, metrics: { documents: c.inserted, chunks: c.chunks, vectors: c.chunks, bytes: Number(c.bytes) } });
  return result;
}

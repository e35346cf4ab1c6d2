import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { Collection } from "@/db/schema/collections";
import { documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import type { Source } from "@/db/schema/sources";
import type { SourceFile } from "@/lib/sources/resolve";
import { applyStageChanges, recordEvents } from "./stages";

export type ScanResult = { files: number; queued: number; unchanged: number; duplicates: number; batches: number };

export type Registered = { queued: string[]; counts: Pick<ScanResult, "queued" | "unchanged" | "duplicates">; cancelled: boolean };

/**
 * Registers walked files for the operation: new ones and changed ones (another hash) become its
 * documents, queued; unchanged ones are left alone and counted; same content already in the
 * collection is marked duplicate. Re-registering the same files (a step re-run after a crash)
 * queues nothing twice and counts the same. Nothing is registered once the operation was
 * cancelled: the check holds the operation row, so a cancel waits for it or it sees the cancel.
 */
export async function registerFiles(operationId: string, collection: Collection, source: Source, rows: Array<SourceFile & { hash: string | null }>): Promise<Registered> {
  const none: Registered = { queued: [], counts: { queued: 0, unchanged: 0, duplicates: 0 }, cancelled: false };
  if (rows.length === 0) return none;
  const mine = await getDb().transaction(async (tx) => {
    const [op] = await tx.select({ status: operations.status }).from(operations).where(eq(operations.id, operationId)).for("share");
    if (!op || op.status === "cancelled" || op.status === "failed") return null;
    // New files, and files changed or unfinished since another operation, become this one's.
    const files = rows.map((f) => ({ path: f.relativePath, hash: f.hash, size: f.size }));
    const upserted = (await tx.execute(sql`
      insert into documents (collection_id, source_id, path, content_hash, size_bytes, stage, operation_id)
      select ${collection.id}, ${source.id}, f.path, f.hash, f.size, 'uploaded', ${operationId}
      from jsonb_to_recordset(${JSON.stringify(files)}::jsonb) as f(path text, hash text, size bigint)
      on conflict (source_id, path) do update set
        content_hash = excluded.content_hash, size_bytes = excluded.size_bytes, stage = 'uploaded', stage_changed_at = now(),
        operation_id = excluded.operation_id, duplicate_of = null, error_stage = null, error_class = null, error_message = null, attempts = 0
      where (documents.content_hash is distinct from excluded.content_hash or documents.stage not in ('complete', 'dead'))
        and documents.operation_id is distinct from excluded.operation_id
      returning id, content_hash`)) as unknown as Array<{ id: string; content_hash: string | null }>;
    const now = new Date();
    await recordEvents(tx, operationId, upserted.map((d) => ({ id: d.id, stage: "uploaded", at: now })));

    // The earliest document with a given content is the one indexed; later copies are duplicates.
    const hashes = [...new Set(upserted.map((d) => d.content_hash).filter((h): h is string => !!h))];
    if (hashes.length) {
      const canonical = await tx
        .selectDistinctOn([documents.contentHash], { id: documents.id, contentHash: documents.contentHash })
        .from(documents)
        .where(and(eq(documents.collectionId, collection.id), inArray(documents.contentHash, hashes), sql`${documents.stage} <> 'dead'`))
        .orderBy(documents.contentHash, documents.createdAt, documents.path, documents.id);
      const first = new Map(canonical.map((c) => [c.contentHash, c.id]));
      const dupes = upserted.filter((d) => d.content_hash && first.get(d.content_hash) !== d.id);
      if (dupes.length) {
        const originals = dupes.map((d) => ({ id: d.id, original: first.get(d.content_hash!)! }));
        await tx.execute(sql`
          update documents d set duplicate_of = v.original, chunk_count = 0
          from jsonb_to_recordset(${JSON.stringify(originals)}::jsonb) as v(id uuid, original uuid) where d.id = v.id`);
      }
      await applyStageChanges(tx, operationId, dupes.map((d) => ({ id: d.id, stage: "complete", at: now, errorClass: "duplicate", message: "Same content as another document in this collection: skipped." })));
    }
    // Counted from what the files now belong to, so a re-run after a crash reports the same figures.
    return tx
      .select({ id: documents.id, stage: documents.stage, duplicateOf: documents.duplicateOf })
      .from(documents)
      .where(and(eq(documents.sourceId, source.id), eq(documents.operationId, operationId), inArray(documents.path, rows.map((r) => r.relativePath))))
      .orderBy(documents.path);
  });
  if (!mine) return { ...none, cancelled: true };
  const duplicates = mine.filter((d) => d.duplicateOf).length;
  return {
    queued: mine.filter((d) => d.stage === "uploaded" && !d.duplicateOf).map((d) => d.id),
    counts: { queued: mine.length - duplicates, duplicates, unchanged: rows.length - mine.length },
    cancelled: false,
  };
}

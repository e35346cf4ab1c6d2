import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { env } from "@/lib/env";
import { realSourceRoot, type SourceFile } from "@/lib/sources/resolve";
import { appendOperationLog } from "@/lib/services/operation/progress";
import { runTask } from "@/lib/workers/pool";
import { loadOperation, loadSource } from "./context";
import { dispatch, publishProgress } from "./coordinate";
import { applyStageChanges, recordEvents } from "./stages";

export type ScanResult = { files: number; queued: number; unchanged: number; duplicates: number; batches: number };

const FLUSH = 500;

/**
 * Walks the source and registers its files: new ones and changed ones (another hash) are queued
 * for this operation and sent to the pipeline a flush at a time; unchanged ones are left alone
 * and counted; same content already in the collection is marked duplicate. Re-running it after a
 * crash queues nothing twice.
 */
export async function registerSourceDocuments(operationId: string): Promise<ScanResult> {
  const { collection, params } = await loadOperation(operationId);
  if (params.retry) {
    // A retry was queued by its verb: nothing to scan, its documents are already registered.
    const ids = (
      await getDb()
        .select({ id: documents.id })
        .from(documents)
        .where(and(eq(documents.operationId, operationId), eq(documents.stage, "uploaded")))
        .orderBy(documents.path)
    ).map((r) => r.id);
    return { files: 0, queued: ids.length, unchanged: 0, duplicates: 0, batches: await dispatch("parse", operationId, ids, "retry") };
  }
  const source = await loadSource(params.sourceId);
  const root = await realSourceRoot(source);
  const maxBytes = env().STEVEDORE_MAX_FILE_BYTES;
  const result: ScanResult = { files: 0, queued: 0, unchanged: 0, duplicates: 0, batches: 0 };
  let flushes = 0;
  let published = 0;
  let sending = Promise.resolve();
  const flush = async (rows: Array<SourceFile & { hash: string | null }>) => {
    if (rows.length === 0) return;
    const mine = await getDb().transaction(async (tx) => {
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
      // Counted from what the batch now belongs to, so a scan re-run after a crash reports the same figures.
      return tx
        .select({ id: documents.id, stage: documents.stage, duplicateOf: documents.duplicateOf })
        .from(documents)
        .where(and(eq(documents.sourceId, source.id), eq(documents.operationId, operationId), inArray(documents.path, rows.map((r) => r.relativePath))))
        .orderBy(documents.path);
    });
    const duplicates = mine.filter((d) => d.duplicateOf).length;
    result.queued += mine.length - duplicates;
    result.duplicates += duplicates;
    result.unchanged += rows.length - mine.length;
    // The pipeline starts on these while the scan goes on, and the next flush does not wait for the
    // send. Batch ids follow the walk's order, so a re-run after a crash sends the same ids, which
    // the executor drops as already seen.
    const queued = mine.filter((d) => d.stage === "uploaded" && !d.duplicateOf).map((d) => d.id);
    const key = `scan-${flushes++}`;
    sending = sending.then(async () => {
      result.batches += await dispatch("parse", operationId, queued, key);
    });
    sending.catch(() => undefined); // awaited after the walk, unless a flush fails first and the step retries
    if (Date.now() - published > 1000) {
      await publishProgress(operationId);
      published = Date.now();
    }
  };

  // Listed and hashed in a worker thread, a flush's worth at a time, ahead of the pipeline's own
  // tasks: every stage waits for what the scan registers.
  // The next stretch is walked while this one is registered.
  const walk = (folders: string[]) => {
    const next = runTask("scanFolders", { folders, root, maxBytes, limit: FLUSH }, { urgent: true });
    next.catch(() => undefined); // awaited below, unless a flush fails first and the step retries
    return next;
  };
  for (let next: ReturnType<typeof walk> | null = walk([root]); next; ) {
    const walked: Awaited<ReturnType<typeof walk>> = await next;
    next = walked.folders.length ? walk(walked.folders) : null;
    result.files += walked.files.length;
    for (let i = 0; i < walked.files.length; i += FLUSH) await flush(walked.files.slice(i, i + FLUSH));
  }
  await sending;
  await publishProgress(operationId);
  await appendOperationLog(operationId, "info", `Scanned ${result.files} files: ${result.queued} to process (in ${result.batches} batches), ${result.unchanged} unchanged, ${result.duplicates} duplicates.`, result);
  return result;
}

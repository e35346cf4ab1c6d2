import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { env } from "@/lib/env";
import { resolveSourceDirectory, type SourceFile } from "@/lib/sources/resolve";
import { appendOperationLog } from "@/lib/services/operation/progress";
import { runTask } from "@/lib/workers/pool";
import { loadOperation, loadSource } from "./context";
import { dispatch, publishProgress } from "./coordinate";
import { applyStageChanges } from "./stages";

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
  const root = source.kind === "directory" ? await resolveSourceDirectory(source.path) : source.path;
  const maxBytes = env().STEVEDORE_MAX_FILE_BYTES;
  const result: ScanResult = { files: 0, queued: 0, unchanged: 0, duplicates: 0, batches: 0 };
  let flushes = 0;
  const flush = async (rows: Array<SourceFile & { hash: string | null }>) => {
    if (rows.length === 0) return;
    const mine = await getDb().transaction(async (tx) => {
      const upserted = await tx
        .insert(documents)
        .values(rows.map((f) => ({ collectionId: collection.id, sourceId: source.id, path: f.relativePath, contentHash: f.hash, sizeBytes: f.size, stage: "uploaded" as const, operationId })))
        .onConflictDoUpdate({
          target: [documents.sourceId, documents.path],
          set: {
            contentHash: sql`excluded.content_hash`,
            sizeBytes: sql`excluded.size_bytes`,
            stage: "uploaded",
            stageChangedAt: sql`now()`,
            operationId,
            duplicateOf: null,
            errorStage: null,
            errorClass: null,
            errorMessage: null,
            attempts: 0,
          },
          setWhere: sql`(${documents.contentHash} is distinct from excluded.content_hash or ${documents.stage} not in ('complete', 'dead')) and ${documents.operationId} is distinct from ${operationId}`,
        })
        .returning({ id: documents.id, contentHash: documents.contentHash });
      const now = new Date();
      await applyStageChanges(tx, operationId, upserted.map((d) => ({ id: d.id, stage: "uploaded", at: now })));

      // The earliest document with a given content is the one indexed; later copies are duplicates.
      const hashes = [...new Set(upserted.map((d) => d.contentHash).filter((h): h is string => !!h))];
      if (hashes.length) {
        const canonical = await tx
          .selectDistinctOn([documents.contentHash], { id: documents.id, contentHash: documents.contentHash })
          .from(documents)
          .where(and(eq(documents.collectionId, collection.id), inArray(documents.contentHash, hashes), sql`${documents.stage} <> 'dead'`))
          .orderBy(documents.contentHash, documents.createdAt, documents.path, documents.id);
        const first = new Map(canonical.map((c) => [c.contentHash, c.id]));
        const dupes = upserted.filter((d) => d.contentHash && first.get(d.contentHash) !== d.id);
        for (const d of dupes) await tx.update(documents).set({ duplicateOf: first.get(d.contentHash!)!, chunkCount: 0 }).where(eq(documents.id, d.id));
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
    // The pipeline starts on these while the scan goes on. Batch ids follow the walk's order, so a
    // re-run after a crash sends the same ids, which the executor drops as already seen.
    result.batches += await dispatch("parse", operationId, mine.filter((d) => d.stage === "uploaded" && !d.duplicateOf).map((d) => d.id), `scan-${flushes++}`);
    await publishProgress(operationId);
  };

  // A folder at a time, listed and hashed in a worker thread ahead of the pipeline's own tasks,
  // since every stage waits for what the scan registers.
  const pending: Array<SourceFile & { hash: string | null }> = [];
  const folders = [root];
  while (folders.length) {
    const listed = await runTask("scanFolder", { dir: folders.pop()!, root, maxBytes }, { urgent: true });
    folders.push(...listed.folders.reverse()); // popped in name order
    result.files += listed.files.length;
    pending.push(...listed.files);
    while (pending.length >= FLUSH) await flush(pending.splice(0, FLUSH));
  }
  await flush(pending);
  await appendOperationLog(operationId, "info", `Scanned ${result.files} files: ${result.queued} to process (in ${result.batches} batches), ${result.unchanged} unchanged, ${result.duplicates} duplicates.`, result);
  return result;
}

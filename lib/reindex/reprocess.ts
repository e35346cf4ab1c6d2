import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collectionVersions, versionDocuments, type CollectionVersion } from "@/db/schema/collection-versions";
import { documents, documentTexts } from "@/db/schema/documents";
import { chunkId, chunkText, sha256Hex } from "@/lib/ingest/chunk";
import { getEmbedder } from "@/lib/embeddings";
import { env } from "@/lib/env";
import { isOperationActive } from "@/lib/operation-status";
import { setOperationProgress } from "@/lib/services/operation/progress";
import { getVectorStore } from "@/lib/vector";
import type { VectorPoint } from "@/lib/vector/types";
import { loadReindex } from "./params";

/** Source bytes of the documents one batch reads at once (a larger document goes alone). */
const BATCH_BYTES = 16 * 1024 * 1024;
/** Chunks embedded and written per round, so a large document's vectors are never all held at once. */
const ROUND_CHUNKS = 1024;
/** Texts per embedding call; a round's calls run two at a time (the built-in embedder's worker threads). */
const EMBED_SLICE = 256;

/** The documents a version holds: complete ones, not skipped as copies of another. */
export const indexedDocuments = (collectionId: string) =>
  and(eq(documents.collectionId, collectionId), eq(documents.stage, "complete"), isNull(documents.duplicateOf));

export type ReprocessProgress = { done: boolean; cancelled: boolean; documents: number; points: number };

/**
 * REINDEX's reprocessing, one step: batches of the collection's documents in id order, each
 * re-chunked from the text kept in PostgreSQL and embedded with the new settings into the staging
 * version, until none is left or STEVEDORE_STEP_TIME_BUDGET_MS has passed. After each batch its
 * position is committed on the version row (with the documents' new chunk counts), and each step
 * starts from there, not from its memo: a crash, a retry or a fresh run repeats at most the batch
 * that was in flight, and writing it again overwrites the same point ids.
 */
export async function reprocessBatches(operationId: string): Promise<ReprocessProgress> {
  const db = getDb();
  const until = Date.now() + env().STEVEDORE_STEP_TIME_BUDGET_MS;
  const size = env().STEVEDORE_PIPELINE_BATCH_SIZE;
  const loaded = await loadReindex(operationId);
  const { collection, params } = loaded;
  let { op, staging } = loaded;
  const embedder = getEmbedder(staging.embeddingModel);
  const store = await getVectorStore();
  const started = Date.now();
  const out: ReprocessProgress = { done: false, cancelled: false, documents: 0, points: 0 };
  while (Date.now() < until || out.documents === 0) {
    if (out.documents > 0) ({ op, staging } = await loadReindex(operationId));
    if (!isOperationActive(op.status)) return { ...out, cancelled: true };
    const candidates = await db
      .select({ id: documents.id, sourceId: documents.sourceId, path: documents.path, sizeBytes: documents.sizeBytes })
      .from(documents)
      .where(and(indexedDocuments(collection.id), staging.cursor ? gt(documents.id, staging.cursor) : undefined))
      .orderBy(asc(documents.id))
      .limit(size);
    if (candidates.length === 0) return { ...out, done: true };
    const batch = withinBytes(candidates);
    const written = await writeBatch(staging, collection.id, batch, embedder, store);
    out.documents += batch.length;
    out.points += written;
    const done = staging.documentsDone + batch.length;
    const elapsedS = (Date.now() - started) / 1000;
    const ratePerS = elapsedS > 0 ? out.documents / elapsedS : 0;
    const total = params.estimate?.documents ?? done;
    await setOperationProgress(operationId, { done, total, unit: "documents", ratePerS, etaS: ratePerS > 0 ? Math.max(0, total - done) / ratePerS : undefined });
    // The throttle: documents per second over this step, as the operator asked.
    const throttle = params.throttleDocsPerS;
    if (throttle) {
      const ahead = (out.documents / throttle) * 1000 - (Date.now() - started);
      if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(ahead, Math.max(0, until - Date.now()))));
    }
    if (candidates.length < size && batch.length === candidates.length) return { ...out, done: true };
  }
  return out;
}

type BatchDoc = { id: string; sourceId: string; path: string };

/** The longest prefix of `docs` within BATCH_BYTES of source, at least one document. */
function withinBytes<T extends { sizeBytes: number }>(docs: T[]): T[] {
  let bytes = 0;
  let n = 0;
  while (n < docs.length && (n === 0 || bytes + docs[n]!.sizeBytes <= BATCH_BYTES)) bytes += docs[n++]!.sizeBytes;
  return docs.slice(0, n);
}
type Chunk = { id: string; documentId: string; ordinal: number; text: string };

/**
 * Chunks, embeds and writes one batch. Its documents' chunk counts commit first (counting the
 * write, so a batch written again after a crash shows as `writes` 2), then the points go to the
 * store a round at a time, then the position moves past the batch. Returns the points written.
 */
async function writeBatch(staging: CollectionVersion, collectionId: string, batch: BatchDoc[], embedder: ReturnType<typeof getEmbedder>, store: Awaited<ReturnType<typeof getVectorStore>>): Promise<number> {
  const db = getDb();
  const byId = new Map(batch.map((d) => [d.id, d]));
  const texts = await db.select().from(documentTexts).where(inArray(documentTexts.documentId, batch.map((d) => d.id)));
  const chunks: Chunk[] = texts.flatMap(({ documentId, text }) =>
    chunkText(text, { size: staging.chunkSize, overlap: staging.chunkOverlap }).map((c) => ({ id: chunkId(documentId, c.ordinal, sha256Hex(c.text)), documentId, ordinal: c.ordinal, text: c.text })),
  );
  const counts = new Map<string, number>(batch.map((d) => [d.id, 0]));
  for (const c of chunks) counts.set(c.documentId, counts.get(c.documentId)! + 1);
  const recorded = await db
    .insert(versionDocuments)
    .values([...counts].map(([documentId, chunkCount]) => ({ versionId: staging.id, documentId, chunkCount })))
    .onConflictDoUpdate({ target: [versionDocuments.versionId, versionDocuments.documentId], set: { chunkCount: sql`excluded.chunk_count`, writes: sql`${versionDocuments.writes} + 1` } })
    .returning({ writes: versionDocuments.writes });
  // A first write of every document (the count committed before any point of it) appends; a batch
  // written before, by an attempt that was cut short, upserts over what that attempt left.
  const firstWrite = recorded.every((r) => r.writes === 1);
  for (let start = 0; start < chunks.length; start += ROUND_CHUNKS) {
    const round = chunks.slice(start, start + ROUND_CHUNKS);
    const slices: Chunk[][] = [];
    for (let i = 0; i < round.length; i += EMBED_SLICE) slices.push(round.slice(i, i + EMBED_SLICE));
    const vectors = (await Promise.all(slices.map((slice) => embedder.embed(slice.map((c) => c.text))))).flat();
    const points: VectorPoint[] = round.map((c, i) => {
      const doc = byId.get(c.documentId)!;
      return { id: c.id, vector: vectors[i]!, payload: { document_id: c.documentId, source_id: doc.sourceId, collection_id: collectionId, ordinal: c.ordinal, text: c.text, path: doc.path } };
    });
    await (firstWrite ? store.insert(staging.physicalName, points) : store.upsert(staging.physicalName, points));
  }
  const last = batch.at(-1)!.id;
  await db
    .update(collectionVersions)
    .set({ cursor: last, documentsDone: sql`${collectionVersions.documentsDone} + ${batch.length}`, pointsWritten: sql`${collectionVersions.pointsWritten} + ${chunks.length}` })
    .where(and(eq(collectionVersions.id, staging.id), sql`(${collectionVersions.cursor} is null or ${collectionVersions.cursor} < ${last})`));
  return chunks.length;
}

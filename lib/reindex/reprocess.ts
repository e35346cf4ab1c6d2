import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collectionVersions, versionDocuments, type CollectionVersion } from "@/db/schema/collection-versions";
import { documents, documentTexts } from "@/db/schema/documents";
import { chunkId, chunkText, sha256Hex } from "@/lib/ingest/chunk";
import { getEmbedder } from "@/lib/embeddings";
import { env } from "@/lib/env";
import { isOperationActive } from "@/lib/operation-status";
import { StageTally } from "@/lib/observability/stage-tally";
import { setOperationProgress } from "@/lib/services/operation/progress";
import { recordStageTally } from "@/lib/services/operation/stage-metrics";
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
  const { staging } = loaded;
  let { op } = loaded;
  const embedder = getEmbedder(staging.embeddingModel);
  const store = await getVectorStore();
  const started = Date.now();
  const out: ReprocessProgress = { done: false, cancelled: false, documents: 0, points: 0 };
  // One batch's writes run while the next batch is read, chunked and embedded (the store and the
  // embedder work off this thread). Writes stay in order: a batch commits its position only after
  // the one before it has, so a crash still repeats at most the batches in flight.
  let cursor = staging.cursor;
  let batches = 0;
  let writing: Promise<void> | null = null;
  const settle = async () => {
    if (writing) await writing.finally(() => (writing = null));
  };
  const progress = async (batchLength: number) => {
    out.documents += batchLength;
    const done = staging.documentsDone + out.documents;
    const elapsedS = (Date.now() - started) / 1000;
    const ratePerS = elapsedS > 0 ? out.documents / elapsedS : 0;
    const total = params.estimate?.documents ?? done;
    await setOperationProgress(operationId, { done, total, unit: "documents", ratePerS, etaS: ratePerS > 0 ? Math.max(0, total - done) / ratePerS : undefined });
  };
  try {
    while (Date.now() < until || batches === 0) {
      if (batches++ > 0) {
        ({ op } = await loadReindex(operationId));
        if (!isOperationActive(op.status)) {
          await settle();
          return { ...out, cancelled: true };
        }
      }
      const candidates = await db
        .select({ id: documents.id, sourceId: documents.sourceId, path: documents.path, sizeBytes: documents.sizeBytes })
        .from(documents)
        .where(and(indexedDocuments(collection.id), cursor ? gt(documents.id, cursor) : undefined))
        .orderBy(asc(documents.id))
        .limit(size);
      if (candidates.length === 0) {
        await settle();
        return { ...out, done: true };
      }
      const batch = withinBytes(candidates);
      cursor = batch.at(-1)!.id;
      const prepared = await prepareBatch(staging, collection.id, batch, embedder);
      await settle();
      writing = writeBatch(operationId, staging, prepared, store).then(async (written) => {
        out.points += written;
        await progress(batch.length);
      });
      // settle() rethrows its failure; this handler only keeps it from counting as unhandled while the next batch prepares.
      writing.catch(() => undefined);
      // The throttle: documents per second over this step, as the operator asked.
      const throttle = params.throttleDocsPerS;
      if (throttle) {
        const ahead = ((out.documents + batch.length) / throttle) * 1000 - (Date.now() - started);
        if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(ahead, Math.max(0, until - Date.now()))));
      }
      if (candidates.length < size && batch.length === candidates.length) {
        await settle();
        return { ...out, done: true };
      }
    }
    await settle();
    return out;
  } finally {
    // A failure while preparing must not leave the write before it still running.
    await writing?.catch(() => undefined);
  }
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

/** A batch ready to write: its chunks, and the vectors of its first round (embedded ahead, while the batch before it writes). */
type PreparedBatch = { collectionId: string; batch: BatchDoc[]; chunks: Chunk[]; firstVectors: Float32Array[]; embedder: ReturnType<typeof getEmbedder>; tally: StageTally };

async function prepareBatch(staging: CollectionVersion, collectionId: string, batch: BatchDoc[], embedder: ReturnType<typeof getEmbedder>): Promise<PreparedBatch> {
  const tally = new StageTally();
  const texts = await getDb().select().from(documentTexts).where(inArray(documentTexts.documentId, batch.map((d) => d.id)));
  for (const t of texts) tally.counters.bytesRead += Buffer.byteLength(t.text);
  const chunks: Chunk[] = tally.timeSync("chunk", texts.length, () =>
    texts.flatMap(({ documentId, text }) =>
      chunkText(text, { size: staging.chunkSize, overlap: staging.chunkOverlap }).map((c) => ({ id: chunkId(documentId, c.ordinal, sha256Hex(c.text)), documentId, ordinal: c.ordinal, text: c.text })),
    ),
  );
  tally.stages.get("chunk")!.items = chunks.length;
  return { collectionId, batch, chunks, firstVectors: await embedRound(chunks.slice(0, ROUND_CHUNKS), embedder, tally), embedder, tally };
}

async function embedRound(round: Chunk[], embedder: ReturnType<typeof getEmbedder>, tally: StageTally): Promise<Float32Array[]> {
  const slices: Chunk[][] = [];
  for (let i = 0; i < round.length; i += EMBED_SLICE) slices.push(round.slice(i, i + EMBED_SLICE));
  return (await Promise.all(slices.map((slice) => tally.embed(embedder, slice.map((c) => c.text))))).flat();
}

/**
 * Writes one prepared batch. Its documents' chunk counts commit first (counting the write, so a
 * batch written again after a crash shows as `writes` 2), then the points go to the store a round
 * at a time, then the position moves past the batch, with the batch's stage figures. Returns the points written.
 */
async function writeBatch(operationId: string, staging: CollectionVersion, { collectionId, batch, chunks, firstVectors, embedder, tally }: PreparedBatch, store: Awaited<ReturnType<typeof getVectorStore>>): Promise<number> {
  const db = getDb();
  const byId = new Map(batch.map((d) => [d.id, d]));
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
    const vectors = start === 0 ? firstVectors : await embedRound(round, embedder, tally);
    const points: VectorPoint[] = round.map((c, i) => {
      const doc = byId.get(c.documentId)!;
      return { id: c.id, vector: vectors[i]!, payload: { document_id: c.documentId, source_id: doc.sourceId, collection_id: collectionId, ordinal: c.ordinal, text: c.text, path: doc.path } };
    });
    await tally.time("store", points.length, () => (firstWrite ? store.insert(staging.physicalName, points) : store.upsert(staging.physicalName, points)));
    tally.countPointsWritten(points);
  }
  const last = batch.at(-1)!.id;
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(collectionVersions)
      .set({ cursor: last, documentsDone: sql`${collectionVersions.documentsDone} + ${batch.length}`, pointsWritten: sql`${collectionVersions.pointsWritten} + ${chunks.length}` })
      .where(and(eq(collectionVersions.id, staging.id), sql`(${collectionVersions.cursor} is null or ${collectionVersions.cursor} < ${last})`))
      .returning({ id: collectionVersions.id });
    // The figures go with the position: a batch whose position an earlier attempt committed is not counted twice.
    if (moved.length) await recordStageTally(tx, operationId, tally);
  });
  return chunks.length;
}

import { inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { Collection } from "@/db/schema/collections";
import { documentTexts } from "@/db/schema/documents";
import { chunkId, chunkText, sha256Hex } from "@/lib/ingest/chunk";
import { getEmbedder } from "@/lib/embeddings";
import { EmbedderError } from "@/lib/embeddings/types";
import { StageTally } from "@/lib/observability/stage-tally";
import { recordStageTally } from "@/lib/services/operation/stage-metrics";
import { getVectorStore } from "@/lib/vector";
import type { VectorPoint } from "@/lib/vector/types";
import { isCancelled, loadOperation } from "./context";
import { noteBreaker, publicReason } from "./operation-log";
import type { BatchInput } from "./parse-batch";
import { applyStageChanges, documentsInStages, type StageChange } from "./stages";

const EMBED_BATCH = 256;
/** Chunks embedded and upserted per round, so a batch's chunks and vectors are never all held at once. */
const ROUND_CHUNKS = 1024;
const EMBEDDABLE = ["chunked", "embedding", "embedded", "stored", "failed"] as const;

type Doc = Awaited<ReturnType<typeof documentsInStages>>[number];

/** Consecutive runs of `docs` with at most `budget` chunks between them (a larger document goes alone). */
export function groupByChunks<T extends { chunkCount: number }>(docs: T[], budget = ROUND_CHUNKS): T[][] {
  const groups: T[][] = [];
  let chunks = Infinity;
  for (const doc of docs) {
    if (chunks + doc.chunkCount > budget) {
      groups.push([]);
      chunks = 0;
    }
    groups.at(-1)!.push(doc);
    chunks += doc.chunkCount;
  }
  return groups;
}

/**
 * Stage 2 for a batch: embed → store. Vectors go straight to the vector store under the chunks'
 * deterministic ids, so a retried batch overwrites rather than duplicates. A transient embedder
 * failure (5xx, 429, open breaker) is thrown for the step to retry; a permanent one parks the document.
 * Documents go in groups of about ROUND_CHUNKS chunks, each embedded, stored and recorded on its own.
 */
export async function embedBatch({ operationId, documentIds }: BatchInput): Promise<{ stored: number; points: number; dead: number }> {
  const { op, collection, params } = await loadOperation(operationId);
  if (isCancelled(op)) return { stored: 0, points: 0, dead: 0 };
  const db = getDb();
  const docs = await documentsInStages(db, operationId, documentIds, [...EMBEDDABLE]);
  const totals = { stored: 0, points: 0, dead: 0 };
  const started = new Date();
  // Only with documents to embed: a batch emptied by a cancel never needs the embedder.
  const embedder = docs.length ? getEmbedder(collection.embeddingModel) : null;
  try {
    for (const [i, group] of groupByChunks(docs).entries()) {
      // Large documents take a while: a cancel is seen between groups (its clean-up resets the rest).
      if (i > 0 && isCancelled((await loadOperation(operationId)).op)) break;
      const done = await embedGroup(operationId, collection, params.targetCollection ?? collection.name, group, started);
      totals.stored += done.stored;
      totals.points += done.points;
      totals.dead += done.dead;
    }
  } catch (err) {
    if (embedder) await noteBreaker(operationId, embedder).catch(() => undefined);
    throw err;
  }
  if (embedder) await noteBreaker(operationId, embedder);
  return totals;
}

async function embedGroup(operationId: string, collection: Collection, target: string, docs: Doc[], started: Date): Promise<{ stored: number; points: number; dead: number }> {
  const db = getDb();
  // The chunks stage 1 counted, cut again from the kept text: same text and settings, same chunks and ids.
  const texts = await db.select().from(documentTexts).where(inArray(documentTexts.documentId, docs.map((d) => d.id)));
  const tally = new StageTally();
  const rows = tally.timeSync("chunk", texts.length, () =>
    texts.flatMap(({ documentId, text }) =>
      chunkText(text, { size: collection.chunkSize, overlap: collection.chunkOverlap }).map((c) => ({ id: chunkId(documentId, c.ordinal, sha256Hex(c.text)), documentId, ordinal: c.ordinal, text: c.text })),
    ),
  );
  tally.stages.get("chunk")!.items = rows.length;
  const embedder = getEmbedder(collection.embeddingModel);
  const store = await getVectorStore();
  const byId = new Map(docs.map((d) => [d.id, d]));
  const changes: StageChange[] = docs.map((d) => ({ id: d.id, stage: "embedding", at: started }));
  const dead = new Set<string>();
  const pointsOf = new Map<string, number>();
  let embeddedAt = started;

  // One round of chunks at a time (a document larger than a round spans several): embed, then upsert.
  for (let start = 0; start < rows.length; start += ROUND_CHUNKS) {
    const round = rows.slice(start, start + ROUND_CHUNKS);
    const vectors = new Map<string, Float32Array>();
    for (let i = 0; i < round.length; i += EMBED_BATCH) {
      const slice = round.slice(i, i + EMBED_BATCH);
      try {
        (await tally.embed(embedder, slice.map((r) => r.text))).forEach((v, j) => vectors.set(slice[j]!.id, v));
      } catch (err) {
        if (!(err instanceof EmbedderError) || err.retryable) throw err;
        // A permanent refusal: find the documents at fault by embedding them one by one.
        for (const row of slice) {
          if (dead.has(row.documentId)) continue;
          try {
            vectors.set(row.id, (await tally.embed(embedder, [row.text]))[0]!);
          } catch (single) {
            if (!(single instanceof EmbedderError) || single.retryable) throw single;
            dead.add(row.documentId);
            changes.push({ id: row.documentId, stage: "dead", at: new Date(), errorClass: "embed_rejected", message: `The embedding service refused this document: ${publicReason(single)}.` });
          }
        }
      }
    }
    embeddedAt = new Date();
    const batch: VectorPoint[] = round
      .filter((r) => !dead.has(r.documentId) && vectors.has(r.id))
      .map((r) => ({ id: r.id, vector: vectors.get(r.id)!, payload: { document_id: r.documentId, source_id: byId.get(r.documentId)!.sourceId, collection_id: collection.id, ordinal: r.ordinal, text: r.text, path: byId.get(r.documentId)!.path } }));
    if (batch.length) {
      await tally.time("store", batch.length, () => store.upsert(target, batch));
      tally.countPointsWritten(batch);
    }
    for (const p of batch) pointsOf.set(p.payload.document_id as string, (pointsOf.get(p.payload.document_id as string) ?? 0) + 1);
  }
  const storedAt = new Date();

  for (const d of docs) {
    if (dead.has(d.id)) continue;
    changes.push({ id: d.id, stage: "embedded", at: embeddedAt }, { id: d.id, stage: "stored", at: storedAt }, { id: d.id, stage: "complete", at: storedAt });
  }
  const kept = new Set(
    await db.transaction(async (tx) => {
      const applied = await applyStageChanges(tx, operationId, changes, [...EMBEDDABLE]);
      await recordStageTally(tx, operationId, tally);
      return applied;
    }),
  );
  // Documents reset meanwhile (a cancel's clean-up) must not keep the points just written for them,
  // nor a dead one those of its chunks stored in an earlier round.
  const unwanted = docs.map((d) => d.id).filter((id) => !kept.has(id) || dead.has(id));
  if (unwanted.length) await store.deleteByFilter(target, { document_id: unwanted });
  const points = docs.reduce((sum, d) => sum + (kept.has(d.id) && !dead.has(d.id) ? (pointsOf.get(d.id) ?? 0) : 0), 0);
  return { stored: kept.size - dead.size, points, dead: dead.size };
}

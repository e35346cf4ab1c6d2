import { inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documentTexts } from "@/db/schema/documents";
import { chunkId, chunkText, sha256Hex } from "@/lib/ingest/chunk";
import { getEmbedder } from "@/lib/embeddings";
import { EmbedderError } from "@/lib/embeddings/types";
import { getVectorStore } from "@/lib/vector";
import type { VectorPoint } from "@/lib/vector/types";
import { isCancelled, loadOperation } from "./context";
import type { BatchInput } from "./parse-batch";
import { applyStageChanges, documentsInStages, type StageChange } from "./stages";

const EMBED_BATCH = 256;
const UPSERT_BATCH = 1000;
const EMBEDDABLE = ["chunked", "embedding", "embedded", "stored", "failed"] as const;

/**
 * Stage 2 for a batch: embed → store. Vectors go straight to the vector store under the chunks'
 * deterministic ids, so a retried batch overwrites rather than duplicates. A transient embedder
 * failure (5xx, 429, open breaker) is thrown for the step to retry; a permanent one parks the document.
 */
export async function embedBatch({ operationId, documentIds }: BatchInput): Promise<{ stored: number; points: number; dead: number }> {
  const { op, collection, params } = await loadOperation(operationId);
  if (isCancelled(op)) return { stored: 0, points: 0, dead: 0 };
  const db = getDb();
  const docs = await documentsInStages(db, operationId, documentIds, [...EMBEDDABLE]);
  if (docs.length === 0) return { stored: 0, points: 0, dead: 0 };
  const started = new Date();

  // The chunks stage 1 counted, cut again from the kept text: same text and settings, same chunks and ids.
  const texts = await db.select().from(documentTexts).where(inArray(documentTexts.documentId, docs.map((d) => d.id)));
  const rows = texts.flatMap(({ documentId, text }) =>
    chunkText(text, { size: collection.chunkSize, overlap: collection.chunkOverlap }).map((c) => ({ id: chunkId(documentId, c.ordinal, sha256Hex(c.text)), documentId, ordinal: c.ordinal, text: c.text })),
  );
  const embedder = getEmbedder(collection.embeddingModel);
  const byId = new Map(docs.map((d) => [d.id, d]));
  const changes: StageChange[] = docs.map((d) => ({ id: d.id, stage: "embedding", at: started }));
  const dead = new Set<string>();
  const vectors = new Map<string, Float32Array>();

  for (let i = 0; i < rows.length; i += EMBED_BATCH) {
    const slice = rows.slice(i, i + EMBED_BATCH);
    try {
      (await embedder.embed(slice.map((r) => r.text))).forEach((v, j) => vectors.set(slice[j]!.id, v));
    } catch (err) {
      if (!(err instanceof EmbedderError) || err.retryable) throw err;
      // A permanent refusal: find the documents at fault by embedding them one by one.
      for (const row of slice) {
        if (dead.has(row.documentId)) continue;
        try {
          vectors.set(row.id, (await embedder.embed([row.text]))[0]!);
        } catch (single) {
          if (!(single instanceof EmbedderError) || single.retryable) throw single;
          dead.add(row.documentId);
          changes.push({ id: row.documentId, stage: "dead", at: new Date(), errorClass: "embed_rejected", message: single.message.slice(0, 500) });
        }
      }
    }
  }
  const embeddedAt = new Date();
  const points: VectorPoint[] = rows
    .filter((r) => !dead.has(r.documentId) && vectors.has(r.id))
    .map((r) => ({ id: r.id, vector: vectors.get(r.id)!, payload: { document_id: r.documentId, source_id: byId.get(r.documentId)!.sourceId, collection_id: collection.id, ordinal: r.ordinal, text: r.text, path: byId.get(r.documentId)!.path } }));
  const store = await getVectorStore();
  const target = params.targetCollection ?? collection.name;
  for (let i = 0; i < points.length; i += UPSERT_BATCH) await store.upsert(target, points.slice(i, i + UPSERT_BATCH));
  const storedAt = new Date();

  const completeAt = new Date();
  for (const d of docs) {
    if (dead.has(d.id)) continue;
    changes.push({ id: d.id, stage: "embedded", at: embeddedAt }, { id: d.id, stage: "stored", at: storedAt }, { id: d.id, stage: "complete", at: completeAt });
  }
  const kept = new Set(await applyStageChanges(db, operationId, changes, [...EMBEDDABLE]));
  // Documents reset meanwhile (a cancel's clean-up) must not keep the points just written for them.
  const reset = docs.map((d) => d.id).filter((id) => !kept.has(id) && !dead.has(id));
  if (reset.length) await store.deleteByFilter(target, { document_id: reset });
  return { stored: kept.size - dead.size, points: points.length, dead: dead.size };
}

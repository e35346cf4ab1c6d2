import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import type { Collection } from "@/db/schema/collections";
import { documents, documentTexts } from "@/db/schema/documents";
import { operationMetrics, operations, operationSteps } from "@/db/schema/operations";
import { chunkText } from "@/lib/ingest/chunk";
import { indexedDocuments } from "./reprocess";
import type { VersionSettings } from "./versions";

/** Documents whose texts are chunked both ways to estimate the new chunk count. */
const SAMPLE = 200;
/** Bytes a point takes beyond its vector and text (ids, payload keys, index). */
export const POINT_OVERHEAD = 256;

export type ReindexEstimate = {
  documents: number;
  currentPoints: number;
  /** Exact when the chunking stays; else the current count scaled by a sample chunked both ways. */
  points: number;
  pointsExact: boolean;
  diskBytes: number;
  /** Documents per second of this collection's recent operations (REINDEX first), and what it is based on. */
  rateDocsPerS: number | null;
  rateBasis: string;
  durationS: number | null;
  /** With the throttle, if any. */
  etaS: number | null;
};

/**
 * Documents per second this collection has been processed at: its recent reindexes' reprocessing
 * checkpoints if any (not their whole duration, which includes an approval wait), else its recent
 * INDEX and APPEND operations (which also parse, so a reindex is usually faster).
 */
async function pastRate(db: Executor, collectionId: string): Promise<{ rate: number | null; basis: string }> {
  const reprocessed = await db
    .select({ documents: sql<number>`coalesce((${operationSteps.output}->>'documents')::int, 0)`, ms: sql<number>`extract(epoch from ${operationSteps.finishedAt} - ${operationSteps.startedAt}) * 1000` })
    .from(operationSteps)
    .innerJoin(operations, eq(operations.id, operationSteps.operationId))
    .where(and(eq(operations.collectionId, collectionId), eq(operations.type, "REINDEX"), eq(operationSteps.name, "reprocessing"), eq(operationSteps.status, "succeeded")))
    .orderBy(desc(operations.createdAt))
    .limit(5);
  const pick = (rows: { documents: number; ms: number | null }[], basis: (n: number) => string) => {
    const docs = rows.reduce((a, r) => a + Number(r.documents), 0);
    const ms = rows.reduce((a, r) => a + Number(r.ms ?? 0), 0);
    return docs > 0 && ms > 0 ? { rate: docs / (ms / 1000), basis: basis(rows.length) } : null;
  };
  const fromReindex = pick(reprocessed, (n) => `this collection's last ${n === 1 ? "reindex" : `${n} reindexes`}`);
  if (fromReindex) return fromReindex;
  const indexed = await db
    .select({ documents: operationMetrics.documents, ms: operationMetrics.durationMs })
    .from(operations)
    .innerJoin(operationMetrics, eq(operationMetrics.operationId, operations.id))
    .where(and(eq(operations.collectionId, collectionId), inArray(operations.type, ["INDEX", "APPEND"]), eq(operations.status, "succeeded"), gt(operationMetrics.documents, 0)))
    .orderBy(desc(operations.createdAt))
    .limit(5);
  return pick(indexed, (n) => `this collection's last ${n === 1 ? "INDEX/APPEND operation" : `${n} INDEX/APPEND operations`}, which also parsed`) ?? { rate: null, basis: "no finished operation of this collection to go by" };
}

/** What a reindex of `collection` to `settings` will take, before anything starts. */
export async function estimateReindex(collection: Collection, settings: VersionSettings, throttleDocsPerS: number | null, db: Executor = getDb()): Promise<ReindexEstimate> {
  const [counts] = await db
    .select({ documents: sql<number>`count(*)::int`, points: sql<number>`coalesce(sum(${documents.chunkCount}), 0)::bigint` })
    .from(documents)
    .where(indexedDocuments(collection.id));
  const docCount = Number(counts?.documents ?? 0);
  const currentPoints = Number(counts?.points ?? 0);
  const sameChunking = settings.chunkSize === collection.chunkSize && settings.chunkOverlap === collection.chunkOverlap;
  let points = currentPoints;
  let avgChunkChars = collection.chunkSize;
  if (docCount > 0) {
    // An even spread over the ids: md5 of the id orders them independently of insertion.
    const sample = await db
      .select({ text: documentTexts.text })
      .from(documents)
      .innerJoin(documentTexts, eq(documentTexts.documentId, documents.id))
      .where(indexedDocuments(collection.id))
      .orderBy(sql`md5(${documents.id}::text)`)
      .limit(SAMPLE);
    let before = 0;
    let after = 0;
    let chars = 0;
    for (const { text } of sample) {
      before += chunkText(text, { size: collection.chunkSize, overlap: collection.chunkOverlap }).length;
      const cut = chunkText(text, { size: settings.chunkSize, overlap: settings.chunkOverlap });
      after += cut.length;
      chars += cut.reduce((a, c) => a + c.text.length, 0);
    }
    if (after > 0) avgChunkChars = chars / after;
    if (!sameChunking && before > 0) points = Math.round(currentPoints * (after / before));
  }
  const diskBytes = Math.round(points * (settings.dimension * 4 + avgChunkChars + POINT_OVERHEAD));
  const { rate, basis } = await pastRate(db, collection.id);
  const durationS = rate ? docCount / rate : null;
  const effective = throttleDocsPerS && rate ? Math.min(rate, throttleDocsPerS) : (throttleDocsPerS ?? rate);
  return {
    documents: docCount,
    currentPoints,
    points,
    pointsExact: sameChunking,
    diskBytes,
    rateDocsPerS: rate === null ? null : Math.round(rate * 10) / 10,
    rateBasis: basis,
    durationS: durationS === null ? null : Math.round(durationS),
    etaS: effective ? Math.round(docCount / effective) : null,
  };
}

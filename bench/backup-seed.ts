import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collectionVersions } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { sources } from "@/db/schema/sources";
import { env } from "@/lib/env";
import { chunkId } from "@/lib/ingest/chunk";
import { physicalName } from "@/lib/pipeline/target";
import { getVectorStore } from "@/lib/vector";

const PER_DOCUMENT = 10;
const WORDS = "backup restore vector collection alias version golden query operator payload chunk document harbour crane".split(" ");

/**
 * A collection as an INDEX leaves it (rows in PostgreSQL, an active version, its alias, unit
 * vectors with chunk-sized text), written straight to the store: the bench times backup and
 * restore, not indexing.
 */
export async function seedCollection(name: string, points: number, dimension: number) {
  const db = getDb();
  const [collection] = await db.insert(collections).values({ name, embeddingModel: "builtin-hash", dimension, chunkSize: 1200, chunkOverlap: 150, vectorBackend: env().VECTOR_STORE, status: "ready", activeVersion: 1 }).returning();
  const [source] = await db.insert(sources).values({ collectionId: collection!.id, name: "corpus", kind: "directory", path: "/srv/corpus" }).returning();
  const physical = physicalName(name, 1);
  await db.insert(collectionVersions).values({ collectionId: collection!.id, version: 1, physicalName: physical, status: "active", activatedAt: new Date(), embeddingModel: "builtin-hash", dimension, distance: "cosine", chunkSize: 1200, chunkOverlap: 150, pointCount: points });
  const store = await getVectorStore();
  await store.createCollection(physical, { dimension, distance: "cosine" });
  await store.switchAlias(name, physical);
  let state = 7;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let d = 0; d * PER_DOCUMENT < points; d += 500) {
    const docs = Array.from({ length: Math.min(500, Math.ceil((points - d * PER_DOCUMENT) / PER_DOCUMENT)) }, (_, k) => ({ collectionId: collection!.id, sourceId: source!.id, path: `manuals/file-${d + k}.md`, contentHash: `h${d + k}`, sizeBytes: 12_000, stage: "complete" as const, chunkCount: PER_DOCUMENT }));
    const rows = await db.insert(documents).values(docs).returning({ id: documents.id, path: documents.path });
    const batch = rows.flatMap((doc) =>
      Array.from({ length: PER_DOCUMENT }, (_, ordinal) => {
        const vector = Float32Array.from({ length: dimension }, next);
        const norm = Math.hypot(...vector);
        for (let i = 0; i < dimension; i++) vector[i]! /= norm;
        const text = Array.from({ length: 180 }, (_, j) => WORDS[(ordinal * 7 + j * 13) % WORDS.length]).join(" ");
        return { id: chunkId(doc.id, ordinal, "h"), vector, payload: { document_id: doc.id, source_id: source!.id, collection_id: collection!.id, ordinal, text, path: doc.path } };
      }),
    ).slice(0, points - d * PER_DOCUMENT);
    await store.insert(physical, batch);
  }
  await store.optimize(physical);
  return { collectionId: collection!.id, physicalName: physical };
}

export async function waitForOperation(operationId: string): Promise<void> {
  for (;;) {
    const [op] = await getDb().select({ status: operations.status, error: operations.error }).from(operations).where(eq(operations.id, operationId));
    if (op?.status === "succeeded") return;
    if (op && ["failed", "cancelled"].includes(op.status)) throw new Error(`operation ${operationId} ${op.status}: ${op.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createLanceDbStore } from "@/lib/vector/lancedb-store";
import type { VectorPoint, VectorStore } from "@/lib/vector/types";
import { round, timeMs } from "./harness";

const POINTS = 100_000;
const DIM = 384;
const BATCH = 5_000;
const CHUNKS_PER_DOCUMENT = 20;
const QUERIES = 25;

/** Seeded LCG so every run writes the same data. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Unit vectors scattered around 200 centres: closer to real embeddings than uniform noise, so recall means something. */
function makeVectorSource(seed: number): () => Float32Array {
  const rnd = random(seed);
  const centres = Array.from({ length: 200 }, () => Float32Array.from({ length: DIM }, () => rnd() - 0.5));
  return () => {
    const c = centres[Math.floor(rnd() * centres.length)]!;
    const v = Float32Array.from(c, (x) => x + (rnd() - 0.5) * 0.3);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.floor(sorted.length / 2)]!, 2);
}

async function searchTimes(store: VectorStore, name: string, queries: Float32Array[]): Promise<{ ms: number[]; ids: string[][] }> {
  await store.search(name, queries[0]!, { limit: 10 }); // warm-up
  const ms: number[] = [];
  const ids: string[][] = [];
  for (const q of queries) {
    let hits: Awaited<ReturnType<VectorStore["search"]>> = [];
    ms.push(await timeMs(async () => (hits = await store.search(name, q, { limit: 10 }))));
    ids.push(hits.map((h) => h.id));
  }
  return { ms, ids };
}

/**
 * The embedded vector store at 100k x 384-d: upsert throughput in 5k batches (merge-insert by id),
 * count, delete by filter, exact top-10 search, then optimize() (compaction + IVF_FLAT index) and
 * the indexed search with its recall@10 against the exact answers.
 */
export async function benchVector(): Promise<Record<string, unknown>> {
  process.env.LOG_LEVEL ??= "silent";
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-bench-vector-"));
  const store = await createLanceDbStore({ dir, compactEvery: 0 });
  try {
    const name = "bench__v1";
    await store.createCollection(name, { dimension: DIM, distance: "cosine" });
    const nextVector = makeVectorSource(7);
    const documents = Array.from({ length: POINTS / CHUNKS_PER_DOCUMENT }, () => randomUUID());
    const sourceId = randomUUID();
    const collectionId = randomUUID();

    let upsertMs = 0;
    for (let start = 0; start < POINTS; start += BATCH) {
      const batch: VectorPoint[] = Array.from({ length: BATCH }, (_, k) => {
        const i = start + k;
        const documentId = documents[Math.floor(i / CHUNKS_PER_DOCUMENT)]!;
        const payload = { document_id: documentId, source_id: sourceId, collection_id: collectionId, ordinal: i % CHUNKS_PER_DOCUMENT, text: `chunk ${i} `.repeat(30), path: `docs/${documentId}.md` };
        return { id: randomUUID(), vector: nextVector(), payload };
      });
      upsertMs += await timeMs(() => store.upsert(name, batch));
    }
    const reupsertBatch = (await store.scroll(name, { limit: BATCH, withVectors: true })).points;
    const reupsertMs = await timeMs(() => store.upsert(name, reupsertBatch));

    let count = 0;
    const countMs = await timeMs(async () => (count = await store.count(name)));
    const countFilterMs = await timeMs(() => store.count(name, { document_id: documents[10]! }));
    const deleteOneDocumentMs = await timeMs(() => store.deleteByFilter(name, { document_id: documents[0]! }));
    const deleteFiftyDocumentsMs = await timeMs(() => store.deleteByFilter(name, { document_id: documents.slice(1, 51) }));
    const remaining = await store.count(name);

    const queries = Array.from({ length: QUERIES }, () => nextVector());
    const exact = await searchTimes(store, name, queries);
    const filteredMs: number[] = [];
    for (const q of queries.slice(0, 10)) filteredMs.push(await timeMs(() => store.search(name, q, { limit: 10, filter: { document_id: documents.slice(100, 200) } })));

    const optimizeMs = await timeMs(() => store.optimize(name));
    const indexed = await searchTimes(store, name, queries);
    const overlap = indexed.ids.reduce((sum, ids, i) => sum + ids.filter((id) => exact.ids[i]!.includes(id)).length, 0);

    return {
      bench: "vector",
      backend: "lancedb",
      points: POINTS,
      dimension: DIM,
      batch: BATCH,
      upsert_s: round(upsertMs / 1000, 2),
      upsert_points_per_s: Math.round(POINTS / (upsertMs / 1000)),
      reupsert_5k_existing_ms: round(reupsertMs),
      count,
      count_ms: round(countMs, 2),
      count_filter_ms: round(countFilterMs, 2),
      delete_by_filter_ms: round(deleteOneDocumentMs, 2),
      delete_by_filter_50_docs_ms: round(deleteFiftyDocumentsMs, 2),
      points_after_deletes: remaining,
      search_p50_ms: median(exact.ms),
      search_filtered_p50_ms: median(filteredMs),
      optimize_with_index_s: round(optimizeMs / 1000, 2),
      indexed_search_p50_ms: median(indexed.ms),
      indexed_recall_at_10: round(overlap / (10 * QUERIES), 3),
      disk_mb_incl_pre_compaction_versions: round((await dirSize(dir)) / 2 ** 20),
    };
  } finally {
    await store.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

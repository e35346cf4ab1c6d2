import { closeDb, getSql } from "@/db/client";
import { getEmbedder, resetEmbedders } from "@/lib/embeddings";
import type { Embedder } from "@/lib/embeddings/types";
import { metricsRegistry } from "@/lib/observability/metrics-db";
import { recordOperationEnd, timeStage, timeStageSync } from "@/lib/observability/metrics";
import { instrumentEmbedder, instrumentVectorStore } from "@/lib/observability/metrics-wrappers";
import type { VectorStore } from "@/lib/vector/types";
import { benchDatabase, medianMs, round, timeMs } from "./harness";

const COLLECTIONS = 100;
/** Documents per collection (every 20th dead), so the scrape's per-collection counts scan 100,000 rows. */
export const DOCUMENTS_PER_COLLECTION = 1000;
const SCRAPES = 21;
const STEPS = 20_000;

/**
 * Scraping /api/metrics with 100 collections (server side: the registry renders, its gauges query
 * PostgreSQL), and what recording costs a pipeline step: the chunk, embed and store stages of an
 * embed batch, with the embedding and vector store calls timed by their wrappers, against the same
 * calls unwrapped and untimed. Run: `npx tsx bench/observability-metrics.main.ts`.
 */
export async function measureMetrics(): Promise<{ collections: 100; metrics_scrape_ms: number; metric_overhead_per_step_ms: number }> {
  const db = await benchDatabase();
  try {
    await seed();
    getEmbedder("builtin-hash"); // one embedder in the process, so the breaker gauge has samples
    const registry = metricsRegistry();
    recordSomeHistory();
    const scrapeMs = await medianMs(() => registry.metrics(), SCRAPES);
    return { collections: COLLECTIONS, metrics_scrape_ms: scrapeMs, metric_overhead_per_step_ms: await overheadPerStepMs() };
  } finally {
    resetEmbedders();
    await closeDb();
    await db.stop();
  }
}

async function seed(): Promise<void> {
  const sql = getSql();
  await sql`
    insert into collections (name, embedding_model, dimension, chunk_size, chunk_overlap, vector_backend, active_version, status)
    select 'bench-' || g, 'builtin-hash', 384, 800, 100, 'lancedb', 1, 'ready' from generate_series(1, ${COLLECTIONS}) g`;
  await sql`
    insert into collection_versions (collection_id, version, physical_name, status, point_count, embedding_model, dimension, distance, chunk_size, chunk_overlap)
    select id, 1, name || '__v1', 'active', 5000 + (random() * 5000)::int, 'builtin-hash', 384, 'cosine', 800, 100 from collections`;
  await sql`insert into sources (collection_id, name, kind, path) select id, 'docs', 'directory', '/srv/' || name from collections`;
  await sql`
    insert into documents (collection_id, source_id, path, size_bytes, stage, chunk_count)
    select s.collection_id, s.id, 'file-' || g || '.md', 4096, case when g % 20 = 0 then 'dead' else 'complete' end, 5
    from sources s, generate_series(1, ${DOCUMENTS_PER_COLLECTION}) g`;
  // Half the collections backed up, several times each.
  await sql`
    insert into backups (collection_id, collection_name, kind, status, path, finished_at)
    select c.id, c.name, 'full', 'complete', '/backups/' || c.name || '-' || k, now() - k * interval '1 day'
    from collections c, generate_series(1, 5) k where right(c.name, 1) in ('0', '2', '4', '6', '8')`;
  await sql`analyze`;
}

/** Every histogram and counter with samples, as after some hours of work, so the exposition has its full size. */
function recordSomeHistory(): void {
  const now = new Date();
  for (const type of ["INDEX", "APPEND", "REINDEX", "SELF_TEST"]) for (const status of ["succeeded", "failed", "cancelled"]) recordOperationEnd({ type, status, createdAt: new Date(now.getTime() - 60_000), finishedAt: now });
  for (const stage of ["scan", "parse", "chunk", "embed", "store"] as const) timeStageSync(stage, () => undefined);
}

/** A stand-in embedder and store that answer at once, so only the recording is measured. */
function fakes(): { embedder: Embedder; store: VectorStore } {
  const vectors = [new Float32Array(384)];
  const embedder = { model: "builtin-hash", dimension: 384, embed: async () => vectors, state: () => ({ model: "builtin-hash", breaker: "closed" as const, consecutiveFailures: 0, openedAt: null, retryAt: null, lastError: null }) };
  const store = { backend: "lancedb", upsert: async () => undefined } as unknown as VectorStore;
  return { embedder, store };
}

async function overheadPerStepMs(): Promise<number> {
  const raw = fakes();
  const embedder = instrumentEmbedder(raw.embedder);
  const store = instrumentVectorStore(raw.store);
  const texts = Array.from({ length: 64 }, (_, i) => `chunk ${i}`);
  const points = [{ id: "00000000-0000-4000-8000-000000000000", vector: [0], payload: {} }];
  const recorded = async () => {
    for (let i = 0; i < STEPS; i++) {
      timeStageSync("chunk", () => texts);
      await timeStage("embed", () => embedder.embed(texts));
      await timeStage("store", () => store.upsert("bench", points));
    }
  };
  const bare = async () => {
    for (let i = 0; i < STEPS; i++) {
      void texts;
      await raw.embedder.embed(texts);
      await raw.store.upsert("bench", points);
    }
  };
  // Alternated, best of 5 each: the machine is shared, and the minimum is the cost itself.
  const withMs: number[] = [];
  const withoutMs: number[] = [];
  for (let round = 0; round < 5; round++) {
    withoutMs.push(await timeMs(bare));
    withMs.push(await timeMs(recorded));
  }
  return round(Math.max(0, Math.min(...withMs) - Math.min(...withoutMs)) / STEPS, 4);
}

import { closeDb, getSql } from "@/db/client";
import { getEmbedder, resetEmbedders } from "@/lib/embeddings";
import { metricsRegistry } from "@/lib/observability/metrics-db";
import { recordOperationEnd, timeStageSync } from "@/lib/observability/metrics";
import { benchDatabase, medianMs } from "./harness";
import { recordingOverheadPerStepMs } from "./observability-recording";

const COLLECTIONS = 100;
/** Documents per collection (every 20th dead): 1,000,000 in all, which a scrape must not count. */
export const DOCUMENTS_PER_COLLECTION = Number(process.env.BENCH_DOCUMENTS_PER_COLLECTION ?? 10_000);
const SCRAPES = 21;

/**
 * Scraping /api/metrics with 100 collections (server side: the registry renders, its gauges query
 * PostgreSQL), and what recording costs a pipeline step: the chunk, embed and store stages of an
 * embed batch, with the embedding and vector store calls timed by their wrappers, against the same
 * calls unwrapped and untimed. Run: `npx tsx bench/observability-metrics.main.ts`.
 */
export async function measureMetrics(): Promise<Record<string, number>> {
  const db = await benchDatabase();
  try {
    await seed();
    getEmbedder("builtin-hash"); // one embedder in the process, so the breaker gauge has samples
    const registry = metricsRegistry();
    recordSomeHistory();
    const scrapeMs = await medianMs(() => registry.metrics(), SCRAPES);
    // What the two document gauges cost when they counted rows, on the same table.
    const countingMs = await medianMs(() => getSql()`select collection_id, count(*), count(*) filter (where stage = 'dead') from documents group by collection_id`, 5);
    return {
      collections: COLLECTIONS,
      documents: COLLECTIONS * DOCUMENTS_PER_COLLECTION,
      metrics_scrape_ms: scrapeMs,
      baseline_counting_documents_ms: countingMs,
      ...(await recordingOverheadPerStepMs()),
    };
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
  await sql`vacuum (analyze) documents`;
  await sql`analyze`;
}

/** Every histogram and counter with samples, as after some hours of work, so the exposition has its full size. */
function recordSomeHistory(): void {
  const now = new Date();
  for (const type of ["INDEX", "APPEND", "REINDEX", "SELF_TEST"]) for (const status of ["succeeded", "failed", "cancelled"]) recordOperationEnd({ type, status, createdAt: new Date(now.getTime() - 60_000), finishedAt: now });
  for (const stage of ["scan", "parse", "chunk", "embed", "store"] as const) timeStageSync(stage, () => undefined);
}

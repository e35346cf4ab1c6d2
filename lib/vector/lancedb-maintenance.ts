import { Index, type Table } from "@lancedb/lancedb";
import type { Logger } from "pino";
import { lanceMetric } from "./lancedb-arrow";
import type { Distance } from "./types";

// Old versions stay readable this long after a compaction, for queries already running on them.
const KEEP_VERSIONS_MS = 10 * 60_000;

/**
 * Housekeeping for one collection table, run under its write lock: compaction merges the small
 * fragments that each upsert adds (and prunes old versions), and once the table holds
 * `indexThreshold` points it gets an IVF_FLAT vector index; below that, exact search is fast enough.
 */
export async function maintainTable(
  table: Table,
  opts: { collection: string; distance: Distance; indexThreshold: number; log: Logger },
): Promise<{ indexBuilt: boolean }> {
  const stats = await table.optimize({ cleanupOlderThan: new Date(Date.now() - KEEP_VERSIONS_MS) });
  opts.log.debug({ collection: opts.collection, compaction: stats.compaction, prune: stats.prune }, "compacted collection");
  const indexed = (await table.listIndices()).some((i) => i.columns.includes("vector"));
  if (indexed) return { indexBuilt: false };
  const count = await table.countRows();
  if (count < opts.indexThreshold) return { indexBuilt: false };
  const started = performance.now();
  // IVF_FLAT: measured 1.7-2.9 s to build at 100k x 384 with recall@10 = 1.0; HNSW-SQ took 128 s, IVF_PQ 28 s at recall 0.15.
  await table.createIndex("vector", { config: Index.ivfFlat({ distanceType: lanceMetric(opts.distance) }) });
  opts.log.info({ collection: opts.collection, count, ms: Math.round(performance.now() - started) }, "built vector index");
  return { indexBuilt: true };
}

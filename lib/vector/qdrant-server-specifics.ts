import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePoints, runPrefix } from "./contract-helpers";
import type { VectorStore } from "./types";

/** Reads a collection's config straight from the server, to see what the adapter asked Qdrant for. */
async function serverConfig(name: string): Promise<{ params: Record<string, unknown>; hnsw_config: Record<string, unknown> }> {
  const base = process.env.QDRANT_URL!.replace(/\/+$/, "");
  const headers: Record<string, string> = process.env.QDRANT_API_KEY ? { "api-key": process.env.QDRANT_API_KEY } : {};
  const res = await fetch(`${base}/collections/${name}`, { headers });
  if (!res.ok) throw new Error(`GET /collections/${name}: ${res.status}`);
  return ((await res.json()) as { result: { config: { params: Record<string, unknown>; hnsw_config: Record<string, unknown> } } }).result.config;
}

/** Behaviour only a Qdrant server shows (run with QDRANT_URL, beside the shared contract). */
export function describeQdrantServerSpecifics(open: () => Promise<VectorStore>): void {
  describe("Qdrant server specifics", () => {
    let store: VectorStore;
    const prefix = runPrefix();
    const names: string[] = [];
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      for (const n of names) await store.dropCollection(n);
      await store.close();
    });

    it("creates a collection with the layout asked for: vectors on disk, HNSW m / ef_construct, shards, replication", async () => {
      const n = `${prefix}_layout`;
      names.push(n);
      await store.createCollection(n, { dimension: 8, distance: "dot", layout: { vectorsOnDisk: true, hnswM: 32, hnswEfConstruct: 200, shardNumber: 2, replicationFactor: 1 } });
      const config = await serverConfig(n);
      expect(config.params).toMatchObject({ vectors: { size: 8, distance: "Dot", on_disk: true }, shard_number: 2, replication_factor: 1 });
      expect(config.hnsw_config).toMatchObject({ m: 32, ef_construct: 200 });
      await store.upsert(n, makePoints(10, 8));
      expect(await store.count(n)).toBe(10);
    });

    it("takes an upsert of 3072-dimension points with 20,000-character chunks that 500 per request would put over 32 MiB", async () => {
      const n = `${prefix}_big_upsert`;
      names.push(n);
      await store.createCollection(n, { dimension: 3072, distance: "cosine" });
      const text = "Grüße, 日本語 ".repeat(2_000).slice(0, 20_000);
      const points = makePoints(520, 3072, { payload: (i) => ({ text, ordinal: i }) });
      await store.upsert(n, points);
      expect(await store.count(n)).toBe(520);
    }, 120_000);
  });
}

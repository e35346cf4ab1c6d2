import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dot, euclid, makePoints, runPrefix, scrollAll, seededRandom, randomVector, unit } from "./contract-helpers";
import { describeAliasContract } from "./contract-aliases";
import { describeParityContract } from "./contract-parity";
import type { Distance, VectorStore } from "./types";

export type ContractContext = { store: () => VectorStore; name: (suffix: string) => string };

/**
 * The behaviour every VectorStore must show, run against each backend. Collections carry a random
 * per-run prefix and are dropped afterwards, so the suite can share a Qdrant server with others.
 */
export function describeVectorStoreContract(label: string, makeStore: () => Promise<VectorStore>, teardown?: () => Promise<void>): void {
  describe(`VectorStore contract: ${label}`, () => {
    let store: VectorStore | undefined;
    const prefix = runPrefix();
    const created = new Set<string>();
    const ctx: ContractContext = {
      store: () => store!,
      name: (suffix) => {
        const n = `${prefix}_${suffix}`;
        created.add(n);
        return n;
      },
    };
    const create = async (suffix: string, dimension: number, distance: Distance) => {
      const n = ctx.name(suffix);
      await store!.createCollection(n, { dimension, distance });
      return n;
    };

    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      if (store) {
        for (const a of await store.listAliases()) if (a.alias.startsWith(prefix)) await store.deleteAlias(a.alias);
        for (const n of created) await store.dropCollection(n);
        await store.close();
      }
      await teardown?.();
    });

    it("creates a collection idempotently and rejects a conflicting dimension or distance", async () => {
      const n = await create("create", 8, "cosine");
      await store!.createCollection(n, { dimension: 8, distance: "cosine" });
      expect(await store!.collectionInfo(n)).toEqual({ dimension: 8, distance: "cosine", count: 0 });
      expect(await store!.listCollections()).toContain(n);
      await expect(store!.createCollection(n, { dimension: 16, distance: "cosine" })).rejects.toThrow(/dimension/i);
      await expect(store!.createCollection(n, { dimension: 8, distance: "dot" })).rejects.toThrow(/distance/i);
      await expect(store!.createCollection("bad name!", { dimension: 8, distance: "cosine" })).rejects.toThrow(/name/i);
      expect(await store!.collectionInfo(`${prefix}_never_created`)).toBeNull();
    });

    it("inserts new points, searchable and counted like upserted ones, and refuses the wrong dimension", async () => {
      const n = await create("insert", 8, "cosine");
      const points = makePoints(30, 8, { normalize: true });
      await store!.insert(n, points.slice(0, 10));
      await store!.insert(n, points.slice(10));
      expect(await store!.count(n)).toBe(30);
      const [top] = await store!.search(n, points[17]!.vector, { limit: 1 });
      expect(top?.id).toBe(points[17]!.id);
      await store!.upsert(n, points.slice(0, 5)); // an upsert after an insert still replaces
      expect(await store!.count(n)).toBe(30);
      await expect(store!.insert(n, [{ ...points[0]!, vector: new Float32Array(7) }])).rejects.toThrow(/dimension/i);
    });

    it("upserts idempotently and replaces a point's payload and vector", async () => {
      const n = await create("upsert", 8, "cosine");
      const points = makePoints(20, 8, { normalize: true });
      await store!.upsert(n, points);
      await store!.upsert(n, points);
      expect(await store!.count(n)).toBe(20);

      const first = points[0]!;
      const moved = unit(randomVector(8, seededRandom(7)));
      await store!.upsert(n, [{ id: first.id, vector: moved, payload: { text: "replaced" } }]);
      expect(await store!.count(n)).toBe(20);
      const { points: all } = await scrollAll(store!, n, 50);
      expect(all.find((p) => p.id === first.id)?.payload).toEqual({ text: "replaced" });
      const [top] = await store!.search(n, moved, { limit: 1 });
      expect(top?.id).toBe(first.id);
      expect(top?.score).toBeCloseTo(1, 4);
    });

    it("rejects a vector of the wrong dimension and a point id that is not a UUID", async () => {
      const n = await create("reject", 8, "cosine");
      const [ok] = makePoints(1, 8);
      await expect(store!.upsert(n, [{ ...ok!, vector: new Float32Array(7) }])).rejects.toThrow(/dimension/i);
      await expect(store!.upsert(n, [{ ...ok!, id: "chunk-1" }])).rejects.toThrow(/uuid/i);
      await expect(store!.upsert(`${prefix}_missing`, [ok!])).rejects.toThrow();
      expect(await store!.count(n)).toBe(0);
    });

    it("deletes by ids and by filter (equality and membership, string and number keys)", async () => {
      const n = await create("delete", 4, "dot");
      const docs = ["doc-a", "doc-b", "doc-c", "doc-d"];
      const points = makePoints(40, 4, { payload: (i) => ({ document_id: docs[i % 4]!, source_id: i < 20 ? "s1" : "s2", lang: i % 2 ? "en" : "de", ordinal: i }) });
      await store!.upsert(n, points);

      await store!.deleteByIds(n, [points[0]!.id, points[1]!.id, "6f1d1c1e-0000-4000-8000-000000000000"]);
      expect(await store!.count(n)).toBe(38);
      const remaining = new Set((await scrollAll(store!, n, 100)).points.map((p) => p.id));
      expect(remaining.has(points[0]!.id) || remaining.has(points[1]!.id)).toBe(false);

      await store!.deleteByFilter(n, { document_id: "doc-c" });
      expect(await store!.count(n, { document_id: "doc-c" })).toBe(0);
      expect(await store!.count(n)).toBe(28);
      await store!.deleteByFilter(n, { document_id: ["doc-a", "doc-b"], source_id: "s1" });
      expect(await store!.count(n)).toBe(20); // doc-a and doc-b in s1: 4 each left after the id deletes
      await store!.deleteByFilter(n, { lang: ["en"], ordinal: [21, 23, 25, 26] }); // 26 is doc-c: gone already
      expect(await store!.count(n)).toBe(17);
      await store!.deleteByFilter(n, { document_id: [] });
      expect(await store!.count(n)).toBe(17);
      await expect(store!.deleteByFilter(n, {})).rejects.toThrow(/condition/i);
      expect(await store!.count(n)).toBe(17);
    });

    it("counts with filters, type-exactly (3 is not \"3\")", async () => {
      const n = await create("count", 4, "dot");
      await store!.upsert(n, makePoints(30, 4, { payload: (i) => ({ document_id: `d${i % 3}`, ordinal: i % 5, tag: i % 5 === 3 ? "3" : "x", flag: i % 2 === 0 }) }));
      expect(await store!.count(n)).toBe(30);
      expect(await store!.count(n, { document_id: "d1" })).toBe(10);
      expect(await store!.count(n, { document_id: ["d0", "d2"] })).toBe(20);
      expect(await store!.count(n, { ordinal: 3 })).toBe(6);
      expect(await store!.count(n, { ordinal: [0, 4] })).toBe(12);
      expect(await store!.count(n, { flag: true })).toBe(15);
      expect(await store!.count(n, { document_id: "d1", flag: false })).toBe(5);
      expect(await store!.count(n, { tag: "3" })).toBe(6);
      expect(await store!.count(n, { tag: 3 })).toBe(0);
      expect(await store!.count(n, { ordinal: "3" })).toBe(0);
      expect(await store!.count(n, { document_id: [] })).toBe(0);
      expect(await store!.count(n, { nothing_here: "x" })).toBe(0);
    });

    it("scrolls every point exactly once across pages; vectors round-trip as float32", async () => {
      const n = await create("scroll", 16, "dot");
      const points = makePoints(53, 16, { payload: (i) => ({ ordinal: i, text: `chunk ${i}`, part: i % 2 ? "odd" : "even" }) });
      await store!.upsert(n, points.slice(0, 30));
      await store!.upsert(n, points.slice(30));

      const plain = await scrollAll(store!, n, 10);
      // In ascending id order, across pages: a backup's reader relies on it to refuse a repeated point.
      expect(plain.points.map((p) => p.id)).toEqual(points.map((p) => p.id).sort());
      expect(plain.pages).toBe(6);
      expect(plain.points.every((p) => p.vector.length === 0)).toBe(true);

      const full = await scrollAll(store!, n, 7, true);
      expect(full.points).toHaveLength(53);
      const byId = new Map(points.map((p) => [p.id, p]));
      for (const p of full.points) {
        const want = byId.get(p.id)!;
        expect(Array.from(Float32Array.from(p.vector))).toEqual(Array.from(want.vector));
        expect(p.payload).toEqual(want.payload);
      }

      const odd = await store!.scroll(n, { limit: 100, filter: { part: "odd" } });
      expect(odd.points).toHaveLength(26);
      expect(odd.nextCursor).toBeNull();
    });

    it("searches top-k by similarity with the documented score for each distance", async () => {
      const random = seededRandom(3);
      const query = randomVector(8, random);
      for (const distance of ["cosine", "dot", "euclid"] as const) {
        const n = await create(`search_${distance}`, 8, distance);
        const points = makePoints(60, 8, { seed: 11 });
        await store!.upsert(n, points);
        const expected = points
          .map((p) => ({ id: p.id, score: distance === "cosine" ? dot(unit(p.vector), unit(query)) : distance === "dot" ? dot(p.vector, query) : -euclid(p.vector, query) }))
          .sort((a, b) => b.score - a.score);
        const hits = await store!.search(n, query, { limit: 5 });
        expect(hits.map((h) => h.id)).toEqual(expected.slice(0, 5).map((e) => e.id));
        hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 4));
        for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
        expect(hits[0]!.payload).toEqual({ ordinal: points.findIndex((p) => p.id === hits[0]!.id) });
      }
    });

    it("searches within a filter even when closer points fall outside it", async () => {
      const n = await create("search_filter", 8, "cosine");
      const points = makePoints(40, 8, { normalize: true, payload: (i) => ({ source_id: i < 20 ? "near" : "far", ordinal: i }) });
      await store!.upsert(n, points);
      const query = points[0]!.vector; // point 0 is "near": the top hit without a filter
      const far = await store!.search(n, query, { limit: 5, filter: { source_id: "far" } });
      expect(far).toHaveLength(5);
      expect(far.every((h) => h.payload.source_id === "far")).toBe(true);
      expect((await store!.search(n, query, { limit: 1 }))[0]!.id).toBe(points[0]!.id);
      expect(await store!.search(n, query, { limit: 5, filter: { source_id: [] } })).toEqual([]);
      await expect(store!.search(n, new Float32Array(3), { limit: 5 })).rejects.toThrow(/dimension/i);
    });

    it("keeps quotes and SQL in names and values from breaking filters", async () => {
      const n = await create("quotes", 4, "dot");
      const nasty = ["x' OR '1'='1", "it's", 'say "hi"', "back\\slash\\'", "%", "_"];
      await store!.upsert(n, makePoints(nasty.length + 4, 4, { payload: (i) => ({ document_id: nasty[i] ?? "plain", note: nasty[i] ?? "plain" }) }));
      for (const value of nasty) {
        expect(await store!.count(n, { document_id: value })).toBe(1);
        expect(await store!.count(n, { note: value })).toBe(1);
      }
      expect(await store!.count(n, { note: nasty })).toBe(nasty.length);
      await expect(store!.count(n, { "note' OR '1'='1": "x" })).rejects.toThrow(/key/i);
      await store!.deleteByFilter(n, { document_id: "x' OR '1'='1" });
      expect(await store!.count(n)).toBe(nasty.length + 3);
      await store!.deleteByFilter(n, { note: "it's" });
      expect(await store!.count(n)).toBe(nasty.length + 2);
    });

    describeAliasContract(ctx, create);
    describeParityContract(ctx, create);

    it("reports healthy", async () => {
      const health = await store!.health();
      expect(health.ok).toBe(true);
      expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    });
  });
}

import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeVectorStoreContract } from "./contract";
import { makePoints, scrollAll } from "./contract-helpers";
import { createLanceDbStore } from "./lancedb-store";
import type { VectorStore } from "./types";

const tmpDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-lancedb-"));
  tmpDirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of tmpDirs) await fs.rm(dir, { recursive: true, force: true });
});

describeVectorStoreContract("lancedb", async () => createLanceDbStore({ dir: await tempDir() }));

describe("LanceDB store specifics", () => {
  let dir: string;
  let store: VectorStore;
  beforeAll(async () => {
    dir = await tempDir();
    store = await createLanceDbStore({ dir, indexThreshold: 500, compactEvery: 3 });
  });
  afterAll(async () => {
    await store.close();
  });

  it("keeps one copy when two processes' connections upsert the same new ids at once", async () => {
    await store.createCollection("race", { dimension: 8, distance: "cosine" });
    const other = await createLanceDbStore({ dir });
    try {
      const points = makePoints(500, 8, { normalize: true });
      await Promise.all([store.upsert("race", points), other.upsert("race", points), store.upsert("race", points.slice(0, 250))]);
      expect(await store.count("race")).toBe(500);
      expect(await other.count("race")).toBe(500);
    } finally {
      await other.close();
    }
  });

  it("persists collections, points and aliases across a reopen", async () => {
    await store.createCollection("kept__v1", { dimension: 4, distance: "euclid" });
    const points = makePoints(12, 4);
    await store.upsert("kept__v1", points);
    await store.switchAlias("kept", "kept__v1");
    const reopened = await createLanceDbStore({ dir });
    try {
      expect(await reopened.resolveAlias("kept")).toBe("kept__v1");
      expect(await reopened.collectionInfo("kept")).toEqual({ dimension: 4, distance: "euclid", count: 12 });
      const all = await scrollAll(reopened, "kept", 5, true);
      expect(all.points.map((p) => p.id).sort()).toEqual(points.map((p) => p.id).sort());
    } finally {
      await reopened.close();
    }
    const file = JSON.parse(await fs.readFile(path.join(dir, "aliases.json"), "utf8")) as { aliases: Record<string, string> };
    expect(file.aliases.kept).toBe("kept__v1");
    expect((await fs.readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses an alias named like a collection and dropping a collection through an alias", async () => {
    await store.createCollection("solo", { dimension: 4, distance: "dot" });
    await store.createCollection("solo_v2", { dimension: 4, distance: "dot" });
    await expect(store.switchAlias("solo", "solo_v2")).rejects.toThrow(/is a collection/);
    await store.switchAlias("solo_alias", "solo_v2");
    await expect(store.dropCollection("solo_alias")).rejects.toThrow(/is an alias/);
    await expect(store.createCollection("solo_alias", { dimension: 4, distance: "dot" })).rejects.toThrow(/is an alias/);
    expect(await store.collectionInfo("solo_v2")).not.toBeNull();
  });

  it("compacts as it writes and indexes the vectors once a collection passes the threshold", async () => {
    await store.createCollection("big", { dimension: 16, distance: "cosine" });
    const points = makePoints(900, 16, { normalize: true, seed: 9 });
    for (let i = 0; i < points.length; i += 100) await store.upsert("big", points.slice(i, i + 100));
    const lancedb = await import("@lancedb/lancedb");
    const db = await lancedb.connect(dir);
    const table = await db.openTable("big");
    expect((await table.listIndices()).map((i) => i.columns)).toContainEqual(["vector"]);
    expect((await table.stats()).fragmentStats.numFragments).toBeLessThanOrEqual(2);
    db.close();
    const [hit] = await store.search("big", points[123]!.vector, { limit: 1 });
    expect(hit?.id).toBe(points[123]!.id);
    expect(hit?.score).toBeCloseTo(1, 4);
    expect(await store.count("big")).toBe(900);
  });

  it("optimize() compacts and indexes on demand when automatic maintenance is off", async () => {
    const manual = await createLanceDbStore({ dir, indexThreshold: 500, compactEvery: 0 });
    try {
      await manual.createCollection("manual", { dimension: 8, distance: "euclid" });
      const points = makePoints(600, 8, { seed: 5 });
      for (let i = 0; i < points.length; i += 50) await manual.upsert("manual", points.slice(i, i + 50));
      const lancedb = await import("@lancedb/lancedb");
      const db = await lancedb.connect(dir);
      const before = await (await db.openTable("manual")).stats();
      expect(before.fragmentStats.numFragments).toBe(12);
      await manual.optimize("manual");
      const table = await db.openTable("manual");
      expect((await table.stats()).fragmentStats.numFragments).toBe(1);
      expect((await table.listIndices()).map((i) => i.columns)).toContainEqual(["vector"]);
      db.close();
      const [hit] = await manual.search("manual", points[42]!.vector, { limit: 1 });
      expect([hit?.id, hit?.score]).toEqual([points[42]!.id, 0]);
    } finally {
      await manual.close();
    }
  });

  it("stores the payload as JSON and mirrors the id keys into their own columns", async () => {
    await store.createCollection("layout", { dimension: 4, distance: "dot" });
    const [p] = makePoints(1, 4, { payload: () => ({ document_id: "d-1", source_id: "s-1", collection_id: "c-1", ordinal: 2, text: "t", path: "a/b", ok: true, none: null }) });
    await store.upsert("layout", [p!]);
    const lancedb = await import("@lancedb/lancedb");
    const db = await lancedb.connect(dir);
    const [row] = (await (await db.openTable("layout")).query().select(["document_id", "source_id", "collection_id", "payload"]).toArray()) as Array<Record<string, string>>;
    db.close();
    expect([row!.document_id, row!.source_id, row!.collection_id]).toEqual(["d-1", "s-1", "c-1"]);
    expect(JSON.parse(row!.payload!)).toEqual(p!.payload);
    expect((await store.scroll("layout", { limit: 1 })).points[0]!.payload).toEqual(p!.payload);
  });
});

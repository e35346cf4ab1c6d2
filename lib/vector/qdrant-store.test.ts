import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { describeVectorStoreContract } from "./contract";
import { seededRandom, randomVector } from "./contract-helpers";
import { toQdrantFilter } from "./qdrant-filter";
import { createQdrantStore } from "./qdrant-store";
import { collectionInfo, fail, missingCollection, ok, startStandIn, type Answer, type RecordedRequest } from "./qdrant-test-server";
import { describeQdrantServerSpecifics } from "./qdrant-server-specifics";

// Against a real server only: QDRANT_URL=http://127.0.0.1:6333 npx vitest run lib/vector
describe.skipIf(!process.env.QDRANT_URL)("qdrant server", () => {
  const open = async () => createQdrantStore({ url: process.env.QDRANT_URL!, apiKey: process.env.QDRANT_API_KEY || undefined });
  describeVectorStoreContract("qdrant", open);
  describeQdrantServerSpecifics(open);
});

describe("PointFilter to Qdrant filter", () => {
  it("maps equality and membership by value type", () => {
    expect(toQdrantFilter({ document_id: "d1", source_id: ["a", "b"], ordinal: 3, flag: true })).toEqual({
      must: [
        { key: "document_id", match: { value: "d1" } },
        { key: "source_id", match: { any: ["a", "b"] } },
        { key: "ordinal", match: { value: 3 } },
        { key: "flag", match: { value: true } },
      ],
    });
  });

  it("turns a float into a one-point range and a mixed list into a should", () => {
    expect(toQdrantFilter({ score: 0.5 })).toEqual({ must: [{ key: "score", range: { gte: 0.5, lte: 0.5 } }] });
    expect(toQdrantFilter({ tag: ["3", 3, 4] })).toEqual({
      must: [{ should: [{ key: "tag", match: { value: "3" } }, { key: "tag", match: { any: [3, 4] } }] }],
    });
  });

  it("distinguishes no filter from a filter that matches nothing, and rejects unsafe keys", () => {
    expect(toQdrantFilter(undefined)).toBeUndefined();
    expect(toQdrantFilter({})).toBeUndefined();
    expect(toQdrantFilter({ document_id: [] })).toBeNull();
    expect(() => toQdrantFilter({ "a.b": "x" })).toThrow(/key/);
    expect(() => toQdrantFilter({ n: Number.NaN })).toThrow(/value/);
  });
});

describe("Qdrant store without a server", () => {
  it("reports unhealthy with a reason instead of throwing", async () => {
    const store = createQdrantStore({ url: "http://127.0.0.1:9", timeoutMs: 2_000 });
    const health = await store.health();
    expect(health.ok).toBe(false);
    expect(health.message).toMatch(/Qdrant health check failed/);
  });

  it("rejects point ids that are not UUIDs before any request", async () => {
    const store = createQdrantStore({ url: "http://127.0.0.1:9", timeoutMs: 2_000 });
    await expect(store.deleteByIds("docs", ["chunk-1"])).rejects.toThrow(/UUID/);
  });
});

/** A stand-in holding docs__v1 (8-d, Euclid) and docs__v2 (3072-d, Cosine), with alias docs → docs__v1. */
function routes(extra: (r: RecordedRequest) => Answer | undefined = () => undefined) {
  return (r: RecordedRequest): Answer => {
    const path = r.path.split("?")[0];
    const answer = extra(r);
    if (answer) return answer;
    if (r.method === "GET" && path === "/aliases") return ok({ aliases: [{ alias_name: "docs", collection_name: "docs__v1" }] });
    if (r.method === "GET" && path === "/collections/docs__v1") return collectionInfo(8, "Euclid", 3);
    if (r.method === "GET" && path === "/collections/docs__v2") return collectionInfo(3072, "Cosine");
    if (r.method === "GET" && path?.startsWith("/collections/")) return missingCollection(path.split("/")[2]!);
    if (r.method === "PUT" && path?.endsWith("/points")) return ok({ operation_id: 1, status: "completed" });
    if (r.method === "POST" && path?.endsWith("/points/query")) return ok({ points: [{ id: "6f1d1c1e-0000-4000-8000-000000000001", version: 1, score: 0.25, payload: { ordinal: 1 } }] });
    if (r.method === "POST" && path?.endsWith("/points/scroll")) return ok({ points: [], next_page_offset: null });
    if (r.method === "POST" && path === "/collections/aliases") return ok(true);
    return fail(400, `Bad request: no route for ${r.method} ${path}`);
  };
}

describe("Qdrant store against a stand-in speaking Qdrant's REST shapes", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());
  const standIn = async (extra?: (r: RecordedRequest) => Answer | undefined) => {
    const s = await startStandIn(routes(extra));
    close = s.close;
    return { store: createQdrantStore({ url: s.url, retries: 0 }), requests: s.requests, seen: () => s.requests.map((q) => `${q.method} ${q.path.split("?")[0]}`) };
  };

  it("switches an alias with one create_alias action, and maps Qdrant's refusals", async () => {
    const { store, requests } = await standIn((r) =>
      r.path === "/collections/aliases" && r.body.includes("docs__gone") ? missingCollection("docs__gone") : undefined,
    );
    await store.switchAlias("docs", "docs__v2");
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /collections/aliases"]);
    expect(JSON.parse(requests[0]!.body)).toEqual({ actions: [{ create_alias: { alias_name: "docs", collection_name: "docs__v2" } }] });
    await expect(store.switchAlias("docs", "docs__gone")).rejects.toThrow("Cannot point alias docs at docs__gone: no such collection");
  });

  it("reads a collection's dimension and distance once; an alias is resolved per call and the request goes to its target", async () => {
    const { store, seen } = await standIn();
    const point = { id: randomUUID(), vector: new Float32Array(8).fill(0.5), payload: {} };
    await store.upsert("docs__v1", [point]);
    await store.upsert("docs__v1", [point]);
    const [hit] = await store.search("docs__v1", new Float32Array(8), { limit: 1 });
    expect(hit!.score).toBe(-0.25); // Euclid, read once from the collection: negated
    expect(seen().filter((s) => s.startsWith("GET"))).toEqual(["GET /aliases", "GET /collections/docs__v1"]);
    await store.search("docs", new Float32Array(8), { limit: 1 });
    await store.search("docs", new Float32Array(8), { limit: 1 });
    expect(seen().slice(-4)).toEqual(["GET /aliases", "POST /collections/docs__v1/points/query", "GET /aliases", "POST /collections/docs__v1/points/query"]);
  });

  it("throws for a missing collection whatever the filter (as LanceDB does), even one that matches nothing", async () => {
    const { store } = await standIn();
    await expect(store.count("nothing_here", { document_id: [] })).rejects.toThrow("Collection nothing_here does not exist");
    await expect(store.scroll("nothing_here", { limit: 5, filter: { document_id: [] } })).rejects.toThrow(/does not exist/);
    await expect(store.search("nothing_here", [1], { limit: 5, filter: { document_id: [] } })).rejects.toThrow(/does not exist/);
  });

  it("upserts 3072-dimension points with 20,000-character chunks in bodies under 16 MiB, floats exact", async () => {
    const { store, requests } = await standIn();
    const random = seededRandom(4);
    const text = "Grüße, 日本語 \"quoted\" ".repeat(1_000).slice(0, 20_000);
    const points = Array.from({ length: 450 }, (_, i) => ({ id: randomUUID(), vector: randomVector(3072, random), payload: { text, ordinal: i } }));
    await store.upsert("docs__v2", points);
    const bodies = requests.filter((r) => r.method === "PUT").map((r) => r.body);
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(16 * 1024 * 1024);
    const sent = bodies.flatMap((b) => (JSON.parse(b) as { points: Array<{ id: string; vector: number[] }> }).points);
    expect(sent.map((p) => p.id)).toEqual(points.map((p) => p.id));
    expect(sent.every((p, i) => p.vector.every((x, j) => Math.fround(x) === points[i]!.vector[j]))).toBe(true);
  });

  it("creates a collection with only the layout fields set, and its payload indexes", async () => {
    let created = false;
    const { store, requests } = await standIn((r) => {
      const path = r.path.split("?")[0];
      if (r.method === "PUT" && path === "/collections/docs__v3") return (created = true), ok(true);
      if (r.method === "GET" && path === "/collections/docs__v3") return created ? collectionInfo(1536, "Dot") : missingCollection("docs__v3");
      if (r.method === "PUT" && path === "/collections/docs__v3/index") return ok({ operation_id: 2, status: "completed" });
      return undefined;
    });
    await store.createCollection("docs__v3", { dimension: 1536, distance: "dot", layout: { vectorsOnDisk: true, hnswEfConstruct: 256, shardNumber: 3 } });
    const put = requests.find((r) => r.method === "PUT" && r.path === "/collections/docs__v3")!;
    expect(JSON.parse(put.body)).toEqual({ vectors: { size: 1536, distance: "Dot", on_disk: true }, hnsw_config: { ef_construct: 256 }, shard_number: 3 });
    const indexed = requests.filter((r) => r.path.startsWith("/collections/docs__v3/index")).map((r) => (JSON.parse(r.body) as { field_name: string }).field_name);
    expect(indexed).toEqual(["document_id", "source_id"]);
  });

  it("asks for a scroll page bounded by bytes, not the 10,000 points requested", async () => {
    const { store, requests } = await standIn();
    await store.scroll("docs__v2", { limit: 10_000, withVectors: true });
    const { limit } = JSON.parse(requests.find((r) => r.path.endsWith("/points/scroll"))!.body) as { limit: number };
    expect(limit).toBeLessThan(200); // 3072 × ~12-23 bytes a value plus payload, within 16 MiB
    expect(limit).toBeGreaterThan(50);
  });
});

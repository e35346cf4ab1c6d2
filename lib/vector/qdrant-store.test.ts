import { describe, expect, it } from "vitest";
import { describeVectorStoreContract } from "./contract";
import { toQdrantFilter } from "./qdrant-filter";
import { createQdrantStore } from "./qdrant-store";

// Against a real server only: QDRANT_URL=http://127.0.0.1:6333 npx vitest run lib/vector
describe.skipIf(!process.env.QDRANT_URL)("qdrant server", () => {
  describeVectorStoreContract("qdrant", async () => createQdrantStore({ url: process.env.QDRANT_URL!, apiKey: process.env.QDRANT_API_KEY || undefined }));
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

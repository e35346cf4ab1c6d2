import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { NonRetriableError, RetryAfterError, StepError } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpEmbedder } from "@/lib/embeddings/http";
import { createLanceDbStore } from "@/lib/vector/lancedb-store";
import type { VectorStore } from "@/lib/vector/types";
import { getMetrics } from "./metrics";
import { classifyFailure } from "./metrics-errors";
import { instrumentEmbedder, instrumentVectorStore } from "./metrics-wrappers";

async function countOf(metric: keyof ReturnType<typeof getMetrics>, labels: Record<string, string>): Promise<number> {
  const { values } = await (getMetrics()[metric] as { get: () => Promise<{ values: Array<{ metricName?: string; labels: Record<string, unknown>; value: number }> }> }).get();
  const sample = values.find((v) => (v.metricName ?? "").endsWith("_count") && Object.entries(labels).every(([k, x]) => v.labels[k] === x));
  return sample?.value ?? 0;
}

/** The wrappers around the real LanceDB store and the real HTTP embedder: calls timed, failures classed by the service at fault. */
describe("metrics wrappers", () => {
  let dir: string;
  let raw: VectorStore;
  let store: VectorStore;
  let refusing: http.Server;
  let refusingUrl: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-metrics-"));
    raw = await createLanceDbStore({ dir });
    store = instrumentVectorStore(raw);
    // An embedding service that refuses every input (400): a permanent embedder error, no retry.
    refusing = http.createServer((_req, res) => res.writeHead(400, { "content-type": "application/json" }).end('{"error":{"message":"input too long"}}'));
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    await raw?.close();
    await new Promise((resolve) => refusing?.close(resolve));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("times each vector store call by method and outcome, and leaves the store's behaviour as it was", async () => {
    const ok = await countOf("storeCall", { backend: "lancedb", method: "createCollection", outcome: "ok" });
    const failed = await countOf("storeCall", { backend: "lancedb", method: "count", outcome: "error" });
    expect(store.backend).toBe("lancedb");
    await store.createCollection("metered", { dimension: 2, distance: "cosine" });
    await store.upsert("metered", [{ id: "00000000-0000-4000-8000-000000000001", vector: [1, 0], payload: { document_id: "d" } }]);
    expect(await store.count("metered")).toBe(1);
    const err = await store.count("missing").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await countOf("storeCall", { backend: "lancedb", method: "createCollection", outcome: "ok" })).toBe(ok + 1);
    expect(await countOf("storeCall", { backend: "lancedb", method: "count", outcome: "error" })).toBe(failed + 1);
    // However LanceDB words its error, a step failing with it (or caused by it) counts as the vector store's.
    expect(classifyFailure(err, false)).toBe("vector_store");
    expect(classifyFailure(new StepError("store-step", err), true)).toBe("vector_store");
  });

  it("times each embed() call with its batch size, and classes its failures as the embedder's", async () => {
    const embedder = instrumentEmbedder(createHttpEmbedder({ baseUrl: refusingUrl, model: "refuser", dimension: 4, maxRetries: 0, retryBaseMs: 1 }));
    const before = await countOf("embedCall", { model: "openai:refuser", outcome: "error" });
    const err = await embedder.embed(["a", "b", "c"]).catch((e: unknown) => e);
    expect((err as Error).name).toBe("EmbedderError");
    expect(await countOf("embedCall", { model: "openai:refuser", outcome: "error" })).toBe(before + 1);
    expect(embedder.stats().requests).toBeGreaterThanOrEqual(1); // the embedder's own methods still answer
    expect(classifyFailure(new RetryAfterError("wait", 1000, { cause: err }), false)).toBe("embedder");
  });

  it("classes other failures by whether they are retried", () => {
    expect(classifyFailure(new Error("socket hang up"), false)).toBe("transient");
    expect(classifyFailure(new Error("socket hang up"), true)).toBe("permanent");
    expect(classifyFailure(new NonRetriableError("source gone"), false)).toBe("permanent");
  });
});

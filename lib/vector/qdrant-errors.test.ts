import { afterEach, describe, expect, it } from "vitest";
import { QdrantError } from "./qdrant-errors";
import { createQdrantStore } from "./qdrant-store";
import { fail, missingCollection, ok, startStandIn, type Answer } from "./qdrant-test-server";

// Error texts as Qdrant writes them: StorageError's display (lib/storage/src/content_manager/errors.rs),
// the dimension check (lib/segment/src/common/operation_error.rs), and actix's JSON limit error.
const OVERSIZE = "Payload error: JSON payload (33600110 bytes) is larger than allowed (limit: 33554432 bytes).";
const DIMENSION = "Wrong input: Vector dimension error: expected dim: 8, got 7";
const RATE = "Rate limiting exceeded: Write rate limit exceeded: Operation requires 600 tokens but only 12.0 were available. Retry after 2s";
const SHARD = "Shard temporarily unavailable: No active replica for shard 0";

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

/** A store whose count requests get these answers in turn (the last one repeats). */
async function storeAnswering(answers: Answer[], opts: { retries?: number } = {}) {
  let i = 0;
  const standIn = await startStandIn(() => answers[Math.min(i++, answers.length - 1)]!);
  close = standIn.close;
  const store = createQdrantStore({ url: standIn.url, retries: opts.retries ?? 3, retryBaseMs: 10 });
  return { store, requests: standIn.requests };
}

const countDoc = (store: Awaited<ReturnType<typeof storeAnswering>>["store"]) => store.count("docs__v1", { document_id: "d1" });

async function rejection(p: Promise<unknown>): Promise<QdrantError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(QdrantError);
  return e as QdrantError;
}

describe("Qdrant errors, classified from Qdrant's own answers", () => {
  it("fails at once on a permanent 400 (an oversize body, a wrong dimension), keeping Qdrant's reason", async () => {
    for (const text of [OVERSIZE, DIMENSION]) {
      const { store, requests } = await storeAnswering([fail(400, text)]);
      const e = await rejection(countDoc(store));
      expect([e.status, e.retryable, e.missingCollection, requests.length]).toEqual([400, false, false, 1]);
      expect(e.message).toContain(text);
      await close?.();
      close = undefined;
    }
  });

  it("retries a 429 after its Retry-After, then succeeds", async () => {
    const { store, requests } = await storeAnswering([fail(429, RATE, { "retry-after": "2" }), ok({ count: 3 })]);
    const started = Date.now();
    expect(await countDoc(store)).toBe(3);
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it("gets only Retry-After's first character from the client (12 s arrives as 1 s): pinned so an upgrade that fixes it shows", async () => {
    const { store } = await storeAnswering([fail(429, RATE.replace("2s", "12s"), { "retry-after": "12" })], { retries: 0 });
    const e = await rejection(countDoc(store));
    expect([e.status, e.retryable, e.retryAfterMs]).toEqual([429, true, 1_000]);
  });

  it("retries 503 (a shard unavailable) with backoff until it passes, and gives up after the retries", async () => {
    const passing = await storeAnswering([fail(503, SHARD), fail(503, SHARD), ok({ count: 7 })]);
    expect(await countDoc(passing.store)).toBe(7);
    expect(passing.requests).toHaveLength(3);
    await close?.();
    const failing = await storeAnswering([fail(503, SHARD)], { retries: 2 });
    const e = await rejection(countDoc(failing.store));
    expect([e.status, e.retryable, failing.requests.length]).toEqual([503, true, 3]);
  });

  it("reads a 404 as a missing collection only when the body is Qdrant's", async () => {
    const qdrant = await storeAnswering([missingCollection("docs__v1")]);
    const missing = await rejection(countDoc(qdrant.store));
    expect([missing.status, missing.missingCollection, missing.message]).toEqual([404, true, "Collection docs__v1 does not exist"]);
    await close?.();
    const proxy = await storeAnswering([{ status: 404, text: "<html><body>404 Not Found</body></html>" }]);
    const notQdrant = await rejection(countDoc(proxy.store));
    expect([notQdrant.status, notQdrant.missingCollection, notQdrant.retryable]).toEqual([404, false, false]);
    expect(notQdrant.message).toMatch(/QDRANT_URL/);
  });

  it("retries a refused connection and then says what failed", async () => {
    const standIn = await startStandIn(() => ok({}));
    await standIn.close(); // its port, now closed: connections are refused (port 9 would be fetch's "bad port")
    const store = createQdrantStore({ url: standIn.url, retries: 1, retryBaseMs: 10 });
    const e = await rejection(store.count("docs__v1", { document_id: "d1" }));
    expect([e.retryable, e.message]).toEqual([true, "Qdrant counting docs__v1 failed: ECONNREFUSED"]);
  });

  it("times out a request that never answers, as a retryable failure", async () => {
    const standIn = await startStandIn(() => ok({ count: 1 }));
    close = standIn.close;
    const never = await import("node:http").then((http) => http.createServer(() => undefined));
    await new Promise<void>((resolve) => never.listen(0, "127.0.0.1", resolve));
    const port = (never.address() as { port: number }).port;
    try {
      const store = createQdrantStore({ url: `http://127.0.0.1:${port}`, retries: 0, timeoutMs: 300 });
      const e = await rejection(store.count("docs__v1", { document_id: "d1" }));
      expect([e.retryable, e.message]).toEqual([true, "Qdrant counting docs__v1 timed out"]);
    } finally {
      never.closeAllConnections();
      await new Promise((resolve) => never.close(resolve));
    }
  });
});

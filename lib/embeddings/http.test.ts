import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashText } from "./builtin";
import { createHttpEmbedder, type HttpEmbedderOptions } from "./http";
import { redact, retryAfterMs } from "./http-request";
import { FAKE_OPENAI_API_KEY, startFakeOpenAiServer, type FakeOpenAiServer } from "./test-support/fake-openai-server";
import { EmbedderError } from "./types";
import { dot } from "./vector-math";

const DIM = 256;
let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAiServer({ dimension: DIM });
});
afterAll(() => server.close());
beforeEach(() => {
  server.recover();
  server.resetStats();
});

const make = (o: Partial<HttpEmbedderOptions> = {}) =>
  createHttpEmbedder({ baseUrl: server.url, apiKey: FAKE_OPENAI_API_KEY, model: "text-embedding-3-small", dimension: DIM, retryBaseMs: 10, batchWindowMs: 0, ...o });

async function failure(p: Promise<unknown>): Promise<EmbedderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EmbedderError);
  return err as EmbedderError;
}

async function elapsedMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const texts = (n: number, prefix = "document") => Array.from({ length: n }, (_, i) => `${prefix} number ${i} about topic ${i % 7}`);

describe("HTTP embedder against an OpenAI-compatible server", () => {
  it("splits large inputs into batches and returns vectors in input order", async () => {
    const e = make({ maxBatchSize: 64 });
    const input = texts(150);
    const vectors = await e.embed(input);
    expect(server.stats().batchSizes).toEqual([64, 64, 22]);
    expect(vectors).toHaveLength(150);
    for (const i of [0, 63, 64, 149]) {
      expect(dot(vectors[i]!, hashText(input[i]!, DIM)!)).toBeCloseTo(1, 5);
    }
    expect(e.model).toBe("openai:text-embedding-3-small");
    expect(e.stats()).toMatchObject({ calls: 1, inputs: 150, requests: 3, failedRequests: 0 });
    expect(e.stats().tokens).toBeGreaterThan(0);
  });

  it("also splits by estimated tokens per request", async () => {
    const long = Array.from({ length: 5 }, (_, i) => `${i} ${"x".repeat(400)}`); // ~101 tokens each
    await make({ maxBatchTokens: 250 }).embed(long);
    expect(server.stats().batchSizes).toEqual([2, 2, 1]);
  });

  it("sends the API key as a bearer token, and a wrong key fails without retries or leaks", async () => {
    expect(await make().embed(["hello"])).toHaveLength(1);
    const secret = "sk-wrong-key-123456789";
    const err = await failure(make({ apiKey: secret }).embed(["hello"]));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/401.*Incorrect API key/);
    expect(err.message).not.toContain(secret);
    expect(server.stats().requests).toBe(2);
  });

  it("retries server errors with backoff and then succeeds", async () => {
    server.failNext(2, 500);
    const e = make();
    expect(await e.embed(["retry me"])).toHaveLength(1);
    expect(server.stats()).toMatchObject({ requests: 3, failed: 2, served: 1 });
    expect(e.stats()).toMatchObject({ requests: 3, failedRequests: 2, retries: 2 });
    expect(e.state()).toMatchObject({ breaker: "closed", consecutiveFailures: 0, lastError: null });
  });

  it("gives up after maxRetries with a retryable error", async () => {
    server.failNext(3, 502);
    const err = await failure(make({ maxRetries: 2 }).embed(["never"]));
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/502.*gave up after 3 attempts/);
  });

  it("waits at least as long as Retry-After on 429", async () => {
    server.rateLimit(1);
    const e = make();
    const ms = await elapsedMs(() => e.embed(["patience"]));
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(server.stats().requests).toBe(2);
    expect(e.stats().rateLimited).toBe(1);
  });

  it("hands a Retry-After longer than retryMaxDelayMs back to the caller", async () => {
    server.rateLimit(120);
    const err = await failure(make({ retryMaxDelayMs: 1000 }).embed(["later"]));
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(120_000);
    expect(server.stats().requests).toBe(1);
  });

  it("surfaces a 400 at once with the server's message", async () => {
    server.failNext(1, 400);
    const err = await failure(make().embed(["bad"]));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("Injected failure (400)");
    expect(server.stats().requests).toBe(1);
  });

  it("rejects blank texts before sending anything", async () => {
    const err = await failure(make().embed(["ok", ""]));
    expect(err.retryable).toBe(false);
    expect(server.stats().requests).toBe(0);
  });

  it("times out a request that never answers with a retryable error", async () => {
    server.hang();
    const start = performance.now();
    const err = await failure(make({ timeoutMs: 300, maxRetries: 0 }).embed(["hello?"]));
    const ms = performance.now() - start;
    expect(err.retryable).toBe(true);
    expect(err.message).toContain("timed out after 300 ms");
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(2000);
  });

  it("retries after a timeout", async () => {
    server.hang(1);
    const e = make({ timeoutMs: 200 });
    expect(await e.embed(["second time lucky"])).toHaveLength(1);
    expect(e.stats()).toMatchObject({ timeouts: 1, retries: 1 });
  });

  it("rejects vectors of the wrong dimension without retrying", async () => {
    const err = await failure(make({ dimension: 1536 }).embed(["size matters"]));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/dimension mismatch.*returned 256.*expects 1536/);
    expect(server.stats().requests).toBe(1);
  });

  it("treats an unreachable server as retryable", async () => {
    const gone = await startFakeOpenAiServer();
    await gone.close();
    const e = createHttpEmbedder({ baseUrl: gone.url, model: "m", dimension: DIM, maxRetries: 1, retryBaseMs: 10 });
    const err = await failure(e.embed(["anyone?"]));
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it("coalesces concurrent calls into one request and splits the results back", async () => {
    const e = make({ batchWindowMs: 20 });
    const inputs = Array.from({ length: 10 }, (_, c) => texts(3, `caller ${c}`));
    const results = await Promise.all(inputs.map((t) => e.embed(t)));
    expect(server.stats().batchSizes).toEqual([30]);
    results.forEach((vectors, c) => {
      expect(vectors).toHaveLength(3);
      vectors.forEach((v, i) => expect(dot(v, hashText(inputs[c]![i]!, DIM)!)).toBeCloseTo(1, 5));
    });
  });

  it("fails only the callers whose request failed", async () => {
    const e = make({ batchWindowMs: 20, maxBatchSize: 2, maxConcurrency: 1 });
    server.failNext(1, 400);
    const [a, b, c] = await Promise.allSettled([e.embed(["first"]), e.embed(["second"]), e.embed(["third"])]);
    expect(server.stats().requests).toBe(2);
    expect(a.status).toBe("rejected");
    expect(b.status).toBe("rejected");
    expect(c.status).toBe("fulfilled");
  });

  it("drops an aborted caller's texts from a shared request", async () => {
    const e = make({ batchWindowMs: 20 });
    const controller = new AbortController();
    const aborted = e.embed(["never sent"], { signal: controller.signal });
    const kept = e.embed(["sent"]);
    controller.abort();
    expect((await failure(aborted)).message).toContain("aborted");
    expect(await kept).toHaveLength(1);
    expect(server.stats().batchSizes).toEqual([1]);
  });

  it("lets a caller abort without waiting for the timeout", async () => {
    server.hang();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const start = performance.now();
    const err = await failure(make({ timeoutMs: 5000 }).embed(["cancel me"], { signal: controller.signal }));
    expect(err.message).toContain("aborted");
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe("circuit breaker", () => {
  it("opens after N consecutive failures, fails fast, half-opens after the reset and closes on success", async () => {
    server.failAll(503);
    const e = make({ maxRetries: 0, breakerFailures: 3, breakerResetMs: 200 });
    for (let i = 0; i < 3; i++) await failure(e.embed([`try ${i}`]));
    expect(e.state()).toMatchObject({ breaker: "open", consecutiveFailures: 3 });
    expect(e.state().lastError).toContain("503");

    const fast = await failure(e.embed(["refused"]));
    expect(fast.retryable).toBe(true);
    expect(fast.message).toContain("circuit breaker open");
    expect(fast.retryAfterMs).toBeGreaterThan(0);
    expect(fast.retryAfterMs).toBeLessThanOrEqual(200);
    expect(server.stats().requests).toBe(3);
    expect(e.stats()).toMatchObject({ breakerRejections: 1, breakerOpens: 1 });

    await new Promise((r) => setTimeout(r, 220));
    expect(e.state().breaker).toBe("half_open");
    server.recover();
    expect(await e.embed(["trial"])).toHaveLength(1);
    expect(e.state()).toMatchObject({ breaker: "closed", consecutiveFailures: 0, openedAt: null, retryAt: null });
  });

  it("lets exactly one trial request through while half-open", async () => {
    server.failAll(500);
    const e = make({ maxRetries: 0, breakerFailures: 1, breakerResetMs: 100 });
    await failure(e.embed(["x"]));
    await new Promise((r) => setTimeout(r, 120));
    server.recover();
    server.latency(100);
    const [trial, other] = await Promise.allSettled([e.embed(["trial"]), e.embed(["other"])]);
    expect(trial.status).toBe("fulfilled");
    expect(other.status === "rejected" && String(other.reason)).toContain("circuit breaker open");
    expect(e.state().breaker).toBe("closed");
  });

  it("re-opens when the half-open trial fails", async () => {
    server.failAll(500);
    const e = make({ maxRetries: 0, breakerFailures: 2, breakerResetMs: 150 });
    for (let i = 0; i < 2; i++) await failure(e.embed(["x"]));
    const firstRetryAt = e.state().retryAt!;
    await new Promise((r) => setTimeout(r, 170));
    await failure(e.embed(["trial"]));
    expect(server.stats().requests).toBe(3);
    expect(e.state().breaker).toBe("open");
    expect(Date.parse(e.state().retryAt!)).toBeGreaterThan(Date.parse(firstRetryAt));
  });

  it("stops a call's retries once the breaker opens", async () => {
    server.failAll(500);
    const err = await failure(make({ maxRetries: 5, breakerFailures: 2, breakerResetMs: 10_000 }).embed(["x"]));
    expect(err.message).toContain("circuit breaker open");
    expect(server.stats().requests).toBe(2);
  });
});

describe("client-side rate limits", () => {
  it("makes callers wait for the requests-per-minute budget", async () => {
    const e = make({ requestsPerMinute: 240 }); // 4 per second, burst of 4
    const ms = await elapsedMs(async () => {
      for (let i = 0; i < 8; i++) await e.embed([`call ${i}`]);
    });
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(server.stats().requests).toBe(8);
    expect(e.stats().throttledMs).toBeGreaterThan(800);
  });

  it("makes callers wait for the tokens-per-minute budget", async () => {
    const e = make({ tokensPerMinute: 6000 }); // 100 tokens per second, burst of 100
    const fifty = "y".repeat(200);
    const ms = await elapsedMs(async () => {
      for (let i = 0; i < 3; i++) await e.embed([fifty]);
    });
    expect(ms).toBeGreaterThanOrEqual(450);
  });
});

describe("helpers", () => {
  it("reads Retry-After as seconds, an HTTP date, or retry-after-ms", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ "retry-after-ms": "150", "retry-after": "9" }), now)).toBe(150);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
  });

  it("redacts keys and bearer tokens from messages", () => {
    expect(redact("bad key my-secret-key here", "my-secret-key")).toBe("bad key [redacted] here");
    expect(redact("Incorrect API key provided: sk-proj-abcdef123456")).not.toContain("abcdef");
    expect(redact("header Bearer abc.def")).toBe("header Bearer [redacted]");
  });
});

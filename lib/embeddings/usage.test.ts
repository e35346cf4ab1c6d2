import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBuiltinEmbedder } from "./builtin";
import { createHttpEmbedder } from "./http";
import { approxTokens } from "./vector-math";

/** An OpenAI-compatible server that reports 1,000 tokens of `usage` per request, whatever it was sent. */
describe("embedding usage per call", () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const { input } = JSON.parse(body) as { input: string[] };
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ object: "list", data: input.map((_, index) => ({ object: "embedding", index, embedding: [1, 0, 0, 0] })), usage: { prompt_tokens: 1000, total_tokens: 1000 } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("the OpenAI-compatible embedder charges each call its share of the response's usage", async () => {
    const embedder = createHttpEmbedder({ baseUrl: url, model: "m", dimension: 4, maxBatchSize: 4, batchWindowMs: 20 });
    const a = { tokens: 0 };
    const b = { tokens: 0 };
    // Shared requests: 3 + 1 inputs go in one request of 4, then b's other 4 in a second one.
    await Promise.all([embedder.embed(["one", "two", "three"], { usage: a }), embedder.embed(["four", "five", "six", "seven", "eight"], { usage: b })]);
    expect(a.tokens).toBe(750);
    expect(b.tokens).toBe(1250);
    expect(embedder.stats().tokens).toBe(2000);
  });

  it("the built-in embedder counts the tokens as it tokenizes", async () => {
    const usage = { tokens: 0 };
    const texts = ["a short text", "another, somewhat longer text to embed"];
    await createBuiltinEmbedder().embed(texts, { usage });
    expect(usage.tokens).toBe(texts.reduce((n, t) => n + approxTokens(t), 0));
    expect(usage.tokens).toBeGreaterThan(0);
  });
});

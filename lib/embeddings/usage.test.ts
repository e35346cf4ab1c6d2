import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTask, stopWorkers } from "@/lib/workers/pool";
import { createBuiltinEmbedder, hashText } from "./builtin";
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
  afterAll(async () => {
    await stopWorkers();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

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

  it("the built-in embedder reports the tokens it cut the texts into, not an estimate", async () => {
    const embedder = createBuiltinEmbedder();
    const count = async (texts: string[]) => {
      const usage = { tokens: 0 };
      await embedder.embed(texts, { usage });
      return usage.tokens;
    };
    // Words (punctuation apart), each ideograph on its own, and symbols when there is nothing else.
    expect(await count(["a short text", "another, somewhat longer text to embed"])).toBe(9);
    expect(await count(["東京港の船"])).toBe(5);
    expect(await count(["--- ***"])).toBe(2);
    const long = "Cargo manifests list every container, its weight and its berth. ";
    expect(await count([long])).toBe(10);
    expect(await count([long])).not.toBe(approxTokens(long));
    expect(embedder.stats().tokens).toBe(9 + 5 + 2 + 10 + 10);
  });

  it("counts the same tokens when the vectors are computed on a worker thread", async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `Berth ${i}: ${"tide tables for the pilot ".repeat(10)}`);
    const inline = { tokens: 0 };
    await createBuiltinEmbedder().embed(texts, { usage: inline });
    expect(inline.tokens).toBe(40 * 52);
    const offloaded = { tokens: 0 };
    let offloads = 0;
    const embedder = createBuiltinEmbedder({
      offload: (t, dimension) => {
        offloads++;
        return runTask("embedBuiltin", { texts: t, dimension });
      },
    });
    const vectors = await embedder.embed(texts, { usage: offloaded });
    expect(offloads).toBe(1);
    expect(offloaded.tokens).toBe(inline.tokens);
    expect([...vectors[3]!]).toEqual([...hashText(texts[3]!, 384)!]);
  });
});

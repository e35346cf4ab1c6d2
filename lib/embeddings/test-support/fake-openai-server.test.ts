import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashText } from "../builtin";
import { FAKE_OPENAI_API_KEY, startFakeOpenAiServer, type FakeOpenAiServer } from "./fake-openai-server";

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer({ dimension: 64 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.recover();
  server.resetStats();
});

const post = (url: string, body: unknown, key: string | null = FAKE_OPENAI_API_KEY) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

type ErrorBody = { error: { message: string; type: string } };

describe("fake OpenAI embeddings server", () => {
  it("answers like the real API: ordered data with index, usage, model", async () => {
    const res = await post(`${server.url}/embeddings`, { model: "text-embedding-3-small", input: ["one", "two"] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; model: string; data: Array<{ index: number; embedding: number[] }>; usage: { prompt_tokens: number } };
    expect(body).toMatchObject({ object: "list", model: "text-embedding-3-small" });
    expect(body.data.map((d) => d.index)).toEqual([0, 1]);
    expect(body.data[1]!.embedding).toEqual(Array.from(hashText("two", 64)!));
    expect(body.usage.prompt_tokens).toBe(2);
    expect(server.stats()).toMatchObject({ requests: 1, inputs: 2, served: 1, batchSizes: [2] });
  });

  it("accepts a single string and base64 encoding", async () => {
    const res = await post(`${server.url}/embeddings`, { model: "m", input: "solo", encoding_format: "base64" });
    const body = (await res.json()) as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(body.data[0]!.embedding, "base64");
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 64))).toEqual(Array.from(hashText("solo", 64)!));
  });

  it("rejects missing or wrong keys and malformed bodies with OpenAI-style errors", async () => {
    expect((await post(`${server.url}/embeddings`, { model: "m", input: ["x"] }, null)).status).toBe(401);
    const wrong = await post(`${server.url}/embeddings`, { model: "m", input: ["x"] }, "sk-nope");
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as ErrorBody).error.type).toBe("invalid_request_error");
    expect((await post(`${server.url}/embeddings`, "{not json")).status).toBe(400);
    expect((await post(`${server.url}/embeddings`, { input: ["x"] })).status).toBe(400);
    const empty = await post(`${server.url}/embeddings`, { model: "m", input: ["x", ""] });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as ErrorBody).error.message).toContain("'$.input' is invalid");
    expect((await post(`${server.url}/embeddings`, { model: "m", input: ["x"], encoding_format: "int8" })).status).toBe(400);
  });

  it("is controllable over HTTP", async () => {
    await post(`${server.url.replace(/\/v1$/, "")}/_control`, { mode: "fail", status: 503, count: 1 }, null);
    expect((await post(`${server.url}/embeddings`, { model: "m", input: ["x"] })).status).toBe(503);
    expect((await post(`${server.url}/embeddings`, { model: "m", input: ["x"] })).status).toBe(200);
    await post(`${server.url.replace(/\/v1$/, "")}/_control`, { mode: "rate_limit", retryAfterS: 7 }, null);
    const limited = await post(`${server.url}/embeddings`, { model: "m", input: ["x"] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    const stats = (await (await fetch(`${server.url.replace(/\/v1$/, "")}/_stats`)).json()) as { requests: number; failed: number };
    expect(stats).toMatchObject({ requests: 3, failed: 2 });
    const bad = await post(`${server.url.replace(/\/v1$/, "")}/_control`, { mode: "explode" }, null);
    expect(bad.status).toBe(400);
  });

  it("runs standalone, printing its URL, until SIGTERM", async () => {
    const tsx = path.resolve("node_modules/.bin/tsx");
    const child = spawn(tsx, [path.resolve(__dirname, "fake-openai-server.ts"), "--dimension", "32", "--api-key", "sk-standalone"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
      });
      const { url, dimension } = JSON.parse(line) as { url: string; dimension: number };
      expect(dimension).toBe(32);
      await post(`${url.replace(/\/v1$/, "")}/_control`, { mode: "fail", status: 500 }, null);
      expect((await post(`${url}/embeddings`, { model: "m", input: ["x"] }, "sk-standalone")).status).toBe(500);
      await post(`${url.replace(/\/v1$/, "")}/_control`, { mode: "ok" }, null);
      const ok = await post(`${url}/embeddings`, { model: "m", input: ["x"] }, "sk-standalone");
      expect(((await ok.json()) as { data: Array<{ embedding: number[] }> }).data[0]!.embedding).toHaveLength(32);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });
});

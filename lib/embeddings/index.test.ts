import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import { embedderStates, embedderStats, getEmbedder, parseEmbeddingModel, resetEmbedders } from "./index";
import { FAKE_OPENAI_API_KEY, startFakeOpenAiServer, type FakeOpenAiServer } from "./test-support/fake-openai-server";
import { EmbedderError } from "./types";

const VARS = ["STEVEDORE_EMBEDDING_URL", "STEVEDORE_EMBEDDING_API_KEY", "STEVEDORE_EMBEDDING_DIMENSION"] as const;
let server: FakeOpenAiServer;

function setEnv(values: Partial<Record<(typeof VARS)[number], string>>): void {
  for (const name of VARS) delete process.env[name];
  Object.assign(process.env, values);
  reloadEnv();
  resetEmbedders();
}

beforeAll(async () => {
  server = await startFakeOpenAiServer({ dimension: 3072 });
});
afterEach(() => setEnv({}));
afterAll(() => server.close());

describe("getEmbedder", () => {
  it("returns one cached built-in embedder per model string", async () => {
    const a = getEmbedder("builtin-hash");
    expect(getEmbedder("builtin-hash")).toBe(a);
    expect(a.dimension).toBe(384);
    const wide = getEmbedder("builtin-hash-512");
    expect(wide).toMatchObject({ model: "builtin-hash-512", dimension: 512 });
    expect((await wide.embed(["hello"]))[0]).toHaveLength(512);
    expect(getEmbedder("builtin-hash-384")).toMatchObject({ model: "builtin-hash-384", dimension: 384 });
  });

  it("rejects unknown models", () => {
    expect(() => getEmbedder("word2vec")).toThrow(/unknown embedding model/);
    expect(() => parseEmbeddingModel("openai:")).toThrow(EmbedderError);
  });

  it("explains what to set when an openai: model has no endpoint", () => {
    setEnv({});
    const err = (() => {
      try {
        getEmbedder("openai:text-embedding-3-small");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(EmbedderError);
    expect((err as EmbedderError).retryable).toBe(false);
    expect((err as EmbedderError).message).toContain("STEVEDORE_EMBEDDING_URL");
  });

  it("builds openai: embedders from the environment and lists their states and counters", async () => {
    setEnv({ STEVEDORE_EMBEDDING_URL: server.url, STEVEDORE_EMBEDDING_API_KEY: FAKE_OPENAI_API_KEY });
    const large = getEmbedder("openai:text-embedding-3-large");
    expect(large.dimension).toBe(3072);
    expect(getEmbedder("openai:text-embedding-3-large")).toBe(large);
    expect(getEmbedder("openai:my-local-model").dimension).toBe(1536);
    expect((await large.embed(["from the environment"]))[0]).toHaveLength(3072);
    getEmbedder("builtin-hash");
    expect(embedderStates().map((s) => [s.model, s.breaker])).toEqual([
      ["openai:text-embedding-3-large", "closed"],
      ["openai:my-local-model", "closed"],
      ["builtin-hash", "closed"],
    ]);
    expect(embedderStats().find((s) => s.model === "openai:text-embedding-3-large")?.stats).toMatchObject({ calls: 1, requests: 1 });
  });

  it("lets STEVEDORE_EMBEDDING_DIMENSION override the model's known size", () => {
    setEnv({ STEVEDORE_EMBEDDING_URL: server.url, STEVEDORE_EMBEDDING_DIMENSION: "1024" });
    expect(getEmbedder("openai:text-embedding-3-large").dimension).toBe(1024);
  });
});

import { describe, expect, it } from "vitest";
import { createBuiltinEmbedder } from "./builtin";
import { EmbedderError } from "./types";
import { dot } from "./vector-math";

const embedder = createBuiltinEmbedder();
const embedOne = async (text: string, e = embedder) => (await e.embed([text]))[0]!;
const norm = (v: Float32Array) => Math.sqrt(dot(v, v));

describe("builtin-hash embedder", () => {
  it("is deterministic across calls and instances", async () => {
    const text = "Reindexing a collection builds the next version beside the live one.";
    const a = await embedOne(text);
    const b = await embedOne(text, createBuiltinEmbedder());
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(embedder.model).toBe("builtin-hash");
    expect(embedder.dimension).toBe(384);
  });

  it("returns unit vectors, one per text, in order", async () => {
    const texts = ["alpha beta", "gamma", "a much longer text with many repeated words words words"];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(384);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(Array.from(vectors[1]!)).toEqual(Array.from(await embedOne("gamma")));
  });

  it("puts similar texts closer than unrelated ones", async () => {
    const query = await embedOne("How do I restore a collection from a backup?");
    const related = await embedOne("Restoring a backup into a new collection validates the checksum first.");
    const unrelated = await embedOne("The quarterly revenue of the bakery grew by twelve percent.");
    expect(dot(query, related)).toBeGreaterThan(dot(query, unrelated) + 0.1);
  });

  it("ignores case, punctuation and Unicode composition", async () => {
    const a = await embedOne("Café, au LAIT!");
    const b = await embedOne("cafe\u0301 au lait");
    expect(dot(a, b)).toBeCloseTo(1, 5);
  });

  it("is sensitive to word order through bigrams", async () => {
    const a = await embedOne("dog bites man");
    const b = await embedOne("man bites dog");
    const same = await embedOne("Dog bites man.");
    expect(dot(a, same)).toBeCloseTo(1, 5);
    // Same bag of words: only the bigram features tell them apart.
    expect(dot(a, b)).toBeLessThan(0.8);
    expect(dot(a, b)).toBeGreaterThan(0.3);
  });

  it("uses sublinear term frequency so repetition does not dominate", async () => {
    const query = await embedOne("timeout");
    const spammed = await embedOne(`${"error ".repeat(50)}timeout`);
    // Raw counts would give "timeout" 1/70 of the norm (cosine 0.014); 1 + ln tf gives 1/7 (0.14).
    expect(dot(query, spammed)).toBeGreaterThan(0.1);
  });

  it("tokenises scripts without spaces into characters", async () => {
    const a = await embedOne("东京是日本的首都");
    const b = await embedOne("日本的首都是东京");
    const c = await embedOne("今天天气很好");
    expect(dot(a, b)).toBeGreaterThan(0.6);
    expect(dot(a, c)).toBeLessThan(0.3);
  });

  it("honours the dimension option", async () => {
    const small = createBuiltinEmbedder({ dimension: 64 });
    expect(small.model).toBe("builtin-hash-64");
    const v = await embedOne("vector search collections", small);
    expect(v).toHaveLength(64);
    expect(norm(v)).toBeCloseTo(1, 5);
    expect(() => createBuiltinEmbedder({ dimension: 0 })).toThrow(EmbedderError);
  });

  it("rejects blank text with a non-retryable error, but embeds symbol-only text", async () => {
    const err = await embedder.embed(["fine", "   \n"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbedderError);
    expect((err as EmbedderError).retryable).toBe(false);
    expect((err as EmbedderError).message).toContain("index 1");
    expect(norm(await embedOne("--- * ---"))).toBeCloseTo(1, 5);
    expect(await embedder.embed([])).toEqual([]);
  });

  it("stops a long batch when the caller aborts", async () => {
    const controller = new AbortController();
    const big = Array.from({ length: 2000 }, (_, i) => `${"long document text ".repeat(50)} ${i}`);
    const pending = embedder.embed(big, { signal: controller.signal });
    controller.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbedderError);
    expect((err as EmbedderError).message).toContain("aborted");
  });

  it("is always closed and counts its work", async () => {
    const e = createBuiltinEmbedder();
    await e.embed(["one two", "three"]);
    expect(e.state()).toMatchObject({ model: "builtin-hash", breaker: "closed", consecutiveFailures: 0, lastError: null });
    expect(e.stats()).toMatchObject({ calls: 1, inputs: 2, requests: 0 });
  });
});

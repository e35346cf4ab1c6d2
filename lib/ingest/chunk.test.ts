import { describe, expect, it } from "vitest";
import { CHUNK_ID_NAMESPACE, chunkId, chunkText, estimateTokens, sha256Hex, uuidV5 } from "./chunk";
import type { TextChunk } from "./types";

const SENTENCES = [
  "Backups run every night at two.",
  "Each backup is a gzip stream of JSON lines.",
  "The manifest comes first and the trailer last.",
  "A restore checks the checksum before anything changes.",
  "Operators can restore into a new collection.",
  "Old backups are pruned after thirty days.",
];

/** Paragraphs of 2-5 sentences, deterministic. */
function essay(paragraphs: number): string {
  return Array.from({ length: paragraphs }, (_, p) =>
    Array.from({ length: 2 + (p % 4) }, (_, s) => SENTENCES[(p + s) % SENTENCES.length]).join(" "),
  ).join("\n\n");
}

function expectWellFormed(text: string, chunks: TextChunk[], size: number) {
  chunks.forEach((chunk, i) => {
    expect(chunk.ordinal).toBe(i);
    expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    expect(chunk.text.length).toBeLessThanOrEqual(size);
    expect(chunk.text).toBe(chunk.text.trim());
    if (i > 0) {
      expect(chunk.start).toBeGreaterThan(chunks[i - 1]!.start);
      expect(chunk.end).toBeGreaterThan(chunks[i - 1]!.end);
    }
  });
  // Every non-space character of the text is in some chunk.
  const covered = new Uint8Array(text.length);
  for (const c of chunks) covered.fill(1, c.start, c.end);
  for (let i = 0; i < text.length; i++) if (!/\s/.test(text[i]!)) expect(covered[i], `offset ${i}`).toBe(1);
}

describe("chunkText", () => {
  it("keeps a short text as one chunk and returns nothing for blank text", () => {
    expect(chunkText("  Hello there.  ", { size: 100, overlap: 10 })).toEqual([{ ordinal: 0, text: "Hello there.", start: 2, end: 14 }]);
    expect(chunkText(" \n\n ", { size: 100, overlap: 10 })).toEqual([]);
    expect(chunkText("", { size: 100, overlap: 10 })).toEqual([]);
  });

  it("packs whole paragraphs and breaks only between them when they fit", () => {
    const text = essay(12);
    const size = 400;
    const chunks = chunkText(text, { size, overlap: 0 });
    expectWellFormed(text, chunks, size);
    expect(chunks.length).toBeGreaterThan(3);
    const paragraphStarts = new Set([0, ...[...text.matchAll(/\n\n/g)].map((m) => m.index + 2)]);
    const paragraphEnds = new Set([...[...text.matchAll(/\n\n/g)].map((m) => m.index), text.length]);
    for (const c of chunks) {
      expect(paragraphStarts.has(c.start)).toBe(true);
      expect(paragraphEnds.has(c.end)).toBe(true);
    }
    // Packing is greedy: two neighbouring chunks could not have been one.
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.end - chunks[i - 1]!.start).toBeGreaterThan(size);
  });

  it("overlaps consecutive chunks by about `overlap` characters, starting at a word", () => {
    const text = essay(20);
    const size = 300;
    const overlap = 60;
    const chunks = chunkText(text, { size, overlap });
    expectWellFormed(text, chunks, size);
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]!;
      const chunk = chunks[i]!;
      const shared = previous.end - chunk.start;
      expect(shared).toBeGreaterThan(overlap - 15); // minus at most one word
      expect(shared).toBeLessThanOrEqual(overlap);
      expect(text.slice(chunk.start, previous.end)).toBe(previous.text.slice(previous.text.length - shared));
      expect(/\s/.test(text[chunk.start - 1]!)).toBe(true);
    }
  });

  it("splits a paragraph longer than `size` at sentence ends, without mixing in its neighbours", () => {
    const long = SENTENCES.join(" ").repeat(3);
    const text = `Intro paragraph.\n\n${long}\n\nClosing paragraph.`;
    const chunks = chunkText(text, { size: 120, overlap: 0 });
    expectWellFormed(text, chunks, 120);
    expect(chunks[0]!.text).toBe("Intro paragraph.");
    expect(chunks[chunks.length - 1]!.text).toBe("Closing paragraph.");
    for (const c of chunks.slice(1, -1)) {
      expect(c.text).toMatch(/^[A-Z]/);
      expect(c.text).toMatch(/\.$/);
    }
  });

  it("splits at line breaks before sentences (lists, JSON and CSV output)", () => {
    const text = Array.from({ length: 30 }, (_, i) => `id: ${i}; name: user number ${i}; role: operator`).join("\n");
    const chunks = chunkText(text, { size: 200, overlap: 0 });
    expectWellFormed(text, chunks, 200);
    for (const c of chunks) expect(c.text).toMatch(/^id: \d+; .*role: operator$/s);
  });

  it("falls back to word boundaries for a sentence longer than `size`", () => {
    const text = Array.from({ length: 80 }, (_, i) => `word${i}`).join(" ");
    const chunks = chunkText(text, { size: 60, overlap: 10 });
    expectWellFormed(text, chunks, 60);
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.text).toMatch(/^word\d+( word\d+)*$/);
  });

  it("cuts a single word longer than `size`, and only that word", () => {
    const huge = "x".repeat(250);
    const text = `before ${huge} after`;
    const chunks = chunkText(text, { size: 100, overlap: 20 });
    expectWellFormed(text, chunks, 100);
    expect(chunks.map((c) => c.text)).toEqual(["before", "x".repeat(100), "x".repeat(100), "x".repeat(50), "after"]);
  });

  it("never cuts a surrogate pair in half", () => {
    const text = "\u{1f600}".repeat(80); // 160 UTF-16 code units, no spaces
    const chunks = chunkText(text, { size: 51, overlap: 0 });
    expect(chunks.map((c) => c.text.length)).toEqual([50, 50, 50, 10]);
    expect(chunks.map((c) => c.text).join("")).toBe(text);
  });

  it("is deterministic", () => {
    const text = essay(40);
    expect(chunkText(text, { size: 500, overlap: 80 })).toEqual(chunkText(text, { size: 500, overlap: 80 }));
  });

  it("rejects sizes below 50 and overlaps outside 0..size-1", () => {
    expect(() => chunkText("x", { size: 49, overlap: 0 })).toThrow(RangeError);
    expect(() => chunkText("x", { size: 100.5, overlap: 0 })).toThrow(RangeError);
    expect(() => chunkText("x", { size: 100, overlap: 100 })).toThrow(/overlap must be an integer from 0 to size - 1 \(99\); got 100/);
    expect(() => chunkText("x", { size: 100, overlap: -1 })).toThrow(RangeError);
    expect(chunkText("x", { size: 50, overlap: 49 })).toHaveLength(1);
  });
});

describe("chunk ids and hashes", () => {
  // Expected values computed independently with Python:
  //   ns = uuid.uuid5(uuid.NAMESPACE_URL, "https://stevedore.dev/ns/chunk")
  //   uuid.uuid5(ns, "7f1c2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b:7:" + sha256("hello world"))
  it("derives the namespace and chunk ids exactly as Python's uuid.uuid5 does", () => {
    expect(uuidV5("https://stevedore.dev/ns/chunk", "6ba7b811-9dad-11d1-80b4-00c04fd430c8")).toBe(CHUNK_ID_NAMESPACE);
    expect(CHUNK_ID_NAMESPACE).toBe("b040763a-b4f2-5a8d-9973-4894776f1f2c");
    expect(chunkId("doc-123", 0, "a".repeat(64))).toBe("59ec5aa1-073f-5921-9d67-416a7523dcf9");
    expect(chunkId("7f1c2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b", 7, sha256Hex("hello world"))).toBe("a3f1c4fd-e82d-5a63-897e-70cab9dba47b");
  });

  it("produces RFC 4122 version-5 UUIDs that change with every input", () => {
    const id = chunkId("doc", 1, "abc");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(chunkId("doc", 1, "abc")).toBe(id);
    expect(new Set([id, chunkId("doc", 2, "abc"), chunkId("doc", 1, "abd"), chunkId("doc2", 1, "abc")]).size).toBe(4);
  });

  it("hashes strings as UTF-8 and bytes as given", () => {
    expect(sha256Hex("hello world")).toBe("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    expect(sha256Hex(Buffer.from("hello world"))).toBe(sha256Hex("hello world"));
    expect(sha256Hex("caf\u00e9")).toBe(sha256Hex(Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9])));
  });

  it("estimates about four characters per token, rounding up", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
  });
});

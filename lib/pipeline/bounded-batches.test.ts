import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { actorContext } from "@/db/test/factories";
import { getEmbedder } from "@/lib/embeddings";
import type { ServiceContext } from "@/lib/services/context";
import type { VectorPoint } from "@/lib/vector/types";
import { groupByChunks } from "./embed-batch";
import { groupBySize } from "./parse-batch";
import { startPipelineHarness, type PipelineHarness } from "./test-support/harness";

describe("batch groups", () => {
  it("split consecutive documents by a budget, a document larger than the budget alone", () => {
    const sized = [5, 4, 2, 20, 1, 1].map((sizeBytes, i) => ({ id: i, sizeBytes }));
    expect(groupBySize(sized, 10).map((g) => g.map((d) => d.id))).toEqual([[0, 1], [2], [3], [4, 5]]);
    const chunked = [3, 3, 3, 3000, 1].map((chunkCount, i) => ({ id: i, chunkCount }));
    expect(groupByChunks(chunked, 8).map((g) => g.map((d) => d.id))).toEqual([[0, 1], [2], [3], [4]]);
    expect(groupBySize([], 10)).toEqual([]);
  });
});

/** Memory per pipeline batch stays bounded: files refused by size unread, embedding and upserts in rounds. */
describe("pipeline batches in bounded pieces", () => {
  let h: PipelineHarness;
  let ctx: ServiceContext;

  beforeAll(async () => {
    h = await startPipelineHarness({ STEVEDORE_MAX_FILE_BYTES: String(20 * 1024 * 1024) });
    ctx = await actorContext("operator");
  });
  afterAll(() => h?.close());

  it("indexes a large document a round of chunks at a time and parks a file over the limit as dead without reading it", async () => {
    const dir = path.join(h.root, "bounded");
    await fs.mkdir(dir);
    const paragraphs = Array.from({ length: 6000 }, (_, i) => `Paragraph ${i}: the harbour master logged berth ${i % 40} for vessel number ${i}.`);
    await fs.writeFile(path.join(dir, "ledger.md"), `# Ledger\n\n${paragraphs.join("\n\n")}\n`);
    for (let i = 0; i < 5; i++) await fs.writeFile(path.join(dir, `note-${i}.md`), `# Note ${i}\n\nTide table ${i} for the pilot boats.`);
    // 2 GiB that take no disk: a parser that read it first would fail on it, or fill the memory.
    await fs.writeFile(path.join(dir, "archive.txt"), "");
    await fs.truncate(path.join(dir, "archive.txt"), 2 * 1024 ** 3);

    // Vectors embedded but not yet stored, at most: what the embed stage holds at once.
    let held = 0;
    let mostHeld = 0;
    const store = await h.svc.getVectorStore();
    const upserts: number[] = [];
    const upsert = store.upsert.bind(store);
    const upsertSpy = vi.spyOn(store, "upsert").mockImplementation(async (name: string, points: VectorPoint[]) => {
      upserts.push(points.length);
      held -= points.length;
      return upsert(name, points);
    });
    const embedder = getEmbedder("builtin-hash");
    const embed = embedder.embed.bind(embedder);
    const embedSpy = vi.spyOn(embedder, "embed").mockImplementation(async (texts, opts) => {
      const vectors = await embed(texts, opts);
      mostHeld = Math.max(mostHeld, (held += vectors.length));
      return vectors;
    });
    try {
      const { collectionId, operationId } = await h.svc.createCollection({ ctx, input: { name: "bounded", source: { kind: "directory", name: "bounded", path: dir }, chunkSize: 200, chunkOverlap: 20 } });
      const op = await h.finished(ctx, operationId, 120_000);
      expect(op.status).toBe("succeeded");
      expect(op.result).toMatchObject({ files: 7, inserted: 6, failed: 1 });

      const { documents } = await h.svc.listDocuments({ ctx, input: { collectionId, stage: "dead" } });
      expect(documents.map((d) => [d.path, d.errorClass, d.errorMessage])).toEqual([["archive.txt", "parse_too_large", expect.stringMatching(/^The file is 2 GiB, over the 20 MiB limit/)]]);

      const detail = await h.svc.getCollection({ ctx, input: { collectionId } });
      expect(detail.stats.points).toBeGreaterThan(3000);
      expect(await store.count("bounded")).toBe(detail.stats.points);
      // Several rounds for the ledger, none larger than a round, each stored before the next is embedded.
      expect(mostHeld).toBeGreaterThan(500);
      expect(mostHeld).toBeLessThanOrEqual(1024);
      expect(Math.max(...upserts)).toBeLessThanOrEqual(1024);
      expect(upserts.reduce((a, b) => a + b, 0)).toBe(detail.stats.points);
      expect(upserts.length).toBeGreaterThan(2);
    } finally {
      upsertSpy.mockRestore();
      embedSpy.mockRestore();
    }
  }, 180_000);
});

import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorContext } from "@/db/test/factories";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@/lib/embeddings/test-support/fake-openai-server";
import type { ServiceContext } from "@/lib/services/context";
import { startPipelineHarness, type PipelineHarness } from "./test-support/harness";

/** Per-operation stage times and counters from a real INDEX and REINDEX through the executor (issue 12, item 2). */
describe("operation stage figures", () => {
  let h: PipelineHarness;
  let fake: FakeOpenAiServer;
  let ctx: ServiceContext;
  let figuresOf: typeof import("@/lib/services/operation/figures").getOperationFigures;

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ dimension: 64 });
    h = await startPipelineHarness({ STEVEDORE_EMBEDDING_URL: fake.url, STEVEDORE_EMBEDDING_API_KEY: fake.apiKey!, STEVEDORE_EMBEDDING_DIMENSION: "64", STEVEDORE_PIPELINE_BATCH_SIZE: "20", STEVEDORE_DISK_MARGIN_BYTES: "0" });
    ({ getOperationFigures: figuresOf } = await import("@/lib/services/operation/figures"));
    ctx = await actorContext("operator");
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const stageMap = (f: Awaited<ReturnType<typeof figuresOf>>) => Object.fromEntries(f.stages.map((s) => [s.stage, s]));

  it("records scan, parse, chunk, embed and store for an INDEX; chunk, embed, store, validate and switch for a REINDEX; backup-write and restore-load", async () => {
    const dir = path.join(h.root, "figures");
    await fs.mkdir(dir, { recursive: true });
    let sourceBytes = 0;
    for (let i = 0; i < 50; i++) {
      const text = `# Manifest ${i}\n\n${Array.from({ length: 300 }, (_, j) => `cargo${i % 7}w${j % 37} berth${j % 11}`).join(" ")}\n`;
      sourceBytes += Buffer.byteLength(text);
      await fs.writeFile(path.join(dir, `m-${i}.md`), text);
    }
    const { collectionId, operationId } = await h.svc.createCollection({ ctx, input: { name: "figures", embeddingModel: "builtin-hash", source: { kind: "directory", name: "figures", path: dir }, chunkSize: 400, chunkOverlap: 40 } });
    expect((await h.finished(ctx, operationId, 120_000)).status).toBe("succeeded");

    const index = await figuresOf({ ctx, input: { operationId } });
    const s = stageMap(index);
    for (const stage of ["scan", "parse", "chunk", "embed", "store"]) expect(s[stage]?.totalMs, stage).toBeGreaterThan(0);
    expect(s.scan!.items).toBe(50);
    expect(s.parse!.items).toBe(50);
    expect(s.chunk!.items).toBe(index.figures.chunks);
    expect(s.embed!.items).toBe(index.figures.chunks);
    expect(s.store!.items).toBe(index.figures.chunks);
    expect(index.figures.chunks).toBeGreaterThan(50);
    // Read: hashed by the scan, then read by the parser; written: 384 floats and the text per point.
    expect(index.figures.bytesRead).toBe(2 * sourceBytes);
    expect(index.figures.bytesWritten).toBeGreaterThan(index.figures.chunks * 384 * 4);
    expect(index.figures.embeddingCalls).toBeGreaterThanOrEqual(s.embed!.calls);
    expect(index.figures.embeddingCalls).toBeGreaterThan(0);
    expect(index.figures.embeddingTokens).toBeGreaterThan(sourceBytes / 8);
    expect(index.comparison.runs).toBe(0);

    // A reindex onto the OpenAI-compatible embedder: its tokens are the provider's `usage`.
    const served = fake.stats().served;
    const reindex = await h.svc.startReindex({ ctx, input: { collectionId, settings: { embeddingModel: "openai:fake-embed", chunkSize: 600, chunkOverlap: 0 }, confirm: "figures" } });
    expect((await h.finished(ctx, reindex.operationId, 120_000)).status).toBe("succeeded");
    const re = await figuresOf({ ctx, input: { operationId: reindex.operationId } });
    const r = stageMap(re);
    for (const stage of ["chunk", "embed", "store", "validate", "switch"]) expect(r[stage]?.totalMs, stage).toBeGreaterThan(0);
    expect(r.parse).toBeUndefined();
    expect(r.store!.items).toBe(re.figures.vectors);
    expect(r.chunk!.items).toBe(re.figures.chunks);
    expect(r.switch!.calls).toBe(1);
    expect(re.figures.embeddingCalls).toBe(r.embed!.calls);
    expect(fake.stats().served).toBeGreaterThan(served);
    expect(re.figures.embeddingTokens).toBeGreaterThan(0);
    expect(re.figures.bytesRead).toBeGreaterThan(0);
    expect(re.figures.bytesWritten).toBeGreaterThan(re.figures.vectors * 64 * 4);

    // A second reindex has the first to compare with.
    const again = await h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 500, chunkOverlap: 0 }, confirm: "figures" } });
    expect((await h.finished(ctx, again.operationId, 120_000)).status).toBe("succeeded");
    const second = await figuresOf({ ctx, input: { operationId: again.operationId } });
    expect(second.comparison.runs).toBe(1);
    expect(second.earlier[0]!.operationId).toBe(reindex.operationId);
    expect(second.comparison.sentence).toMatch(/^This reindex took .*the last run/);

    // A backup counts its file as written; a restore of it counts the file as read and its points as written.
    const backupStart = await h.svc.startBackup({ ctx, input: { collectionId } });
    expect((await h.finished(ctx, backupStart.operationId, 120_000)).status).toBe("succeeded");
    const backup = await h.svc.getBackup({ ctx, input: { backupId: backupStart.backupId } });
    const b = await figuresOf({ ctx, input: { operationId: backupStart.operationId } });
    expect(stageMap(b)["backup-write"]).toMatchObject({ calls: 1, items: backup.pointCount });
    expect(stageMap(b)["backup-write"]!.totalMs).toBeGreaterThan(0);
    expect(b.figures.bytesWritten).toBe(backup.sizeBytes);
    const restore = await h.svc.startRestore({ ctx, input: { backupId: backup.id, mode: "replace", collectionId, confirm: "figures" } });
    expect((await h.finished(ctx, restore.operationId, 120_000)).status).toBe("succeeded");
    const rs = await figuresOf({ ctx, input: { operationId: restore.operationId } });
    expect(stageMap(rs)["restore-load"]).toMatchObject({ calls: 1, items: backup.pointCount });
    expect(stageMap(rs).store!.items).toBe(backup.pointCount);
    expect(stageMap(rs).switch!.totalMs).toBeGreaterThan(0);
    expect(rs.figures.bytesRead).toBe(backup.sizeBytes);
    expect(rs.figures.bytesWritten).toBeGreaterThan(backup.pointCount! * 4);
  }, 300_000);
});

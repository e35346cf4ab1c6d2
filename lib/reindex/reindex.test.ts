import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorContext } from "@/db/test/factories";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@/lib/embeddings/test-support/fake-openai-server";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";

const WORDS = "berth crane manifest pallet reefer hatch lashing draft ballast quay tug pilot customs bonded yard gantry stow".split(" ");

/**
 * Documents in topics of ten: a topic's documents share most of their words, and each has a few
 * of its own. A query drawn from one finds its topic, whatever the chunking: as real corpora do.
 */
async function writeDocs(dir: string, count: number) {
  await fs.mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const topic = Math.floor(i / 10);
    const words = Array.from({ length: 400 }, (_, j) => (j % 5 === 4 ? `own${i}x${j % 23}` : `${WORDS[(topic * 5 + j) % WORDS.length]}${topic}t${j % 11}`));
    const paragraphs = [0, 1, 2, 3].map((p) => words.slice(p * 100, (p + 1) * 100).join(" ") + ".");
    await fs.writeFile(path.join(dir, `doc-${String(i).padStart(4, "0")}.md`), `# Document ${i}\n\n${paragraphs.join("\n\n")}\n`);
  }
}

describe("blue-green REINDEX", () => {
  let h: PipelineHarness;
  let fake: FakeOpenAiServer;
  let ctx: ServiceContext;
  let approver: ServiceContext;

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ dimension: 64 });
    h = await startPipelineHarness({ STEVEDORE_EMBEDDING_URL: fake.url, STEVEDORE_EMBEDDING_API_KEY: fake.apiKey!, STEVEDORE_EMBEDDING_DIMENSION: "64", STEVEDORE_EMBEDDING_MAX_RETRIES: "0", STEVEDORE_PIPELINE_BATCH_SIZE: "40", STEVEDORE_DISK_MARGIN_BYTES: "0" });
    ctx = await actorContext("operator");
    approver = await actorContext("operator");
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  async function indexed(name: string, docs: number, embeddingModel = "builtin-hash") {
    const dir = path.join(h.root, name);
    await writeDocs(dir, docs);
    const { collectionId, operationId } = await h.svc.createCollection({ ctx, input: { name, embeddingModel, source: { kind: "directory", name, path: dir }, chunkSize: 300, chunkOverlap: 30 } });
    expect((await h.finished(ctx, operationId, 120_000)).status).toBe("succeeded");
    return collectionId;
  }

  /** Searches 20 times a second until stopped; every answer must have hits. */
  function queryLoop(collectionId: string) {
    const stats = { queries: 0, failed: 0, empty: 0, errors: [] as string[] };
    let running = true;
    const loop = (async () => {
      for (let i = 0; running; i++) {
        const started = Date.now();
        try {
          const { hits } = await h.svc.searchCollection({ ctx, input: { collectionId, query: `${WORDS[i % WORDS.length]}${i % 12}t${i % 11} ${WORDS[(i + 1) % WORDS.length]}${i % 12}t${(i + 1) % 11}`, limit: 5 } });
          if (hits.length === 0) stats.empty++;
        } catch (e) {
          stats.failed++;
          stats.errors.push((e as Error).message);
        }
        stats.queries++;
        await new Promise((r) => setTimeout(r, Math.max(0, 50 - (Date.now() - started))));
      }
    })();
    return { stats, stop: async () => ((running = false), await loop, stats) };
  }

  const versions = async (collectionId: string) => h.svc.listVersions({ ctx, input: { collectionId } });
  const step = async (operationId: string, name: string) => (await h.svc.getOperation({ ctx, input: { operationId } })).steps.find((s) => s.name === name);

  it("reindexes with a new chunk size behind an approval, switches with searches never failing, rolls back, and reindexes again", async () => {
    const collectionId = await indexed("blue-green", 120);
    const before = await h.svc.getCollection({ ctx, input: { collectionId } });
    const loop = queryLoop(collectionId);

    const plan = await h.svc.previewReindex({ ctx, input: { collectionId, settings: { chunkSize: 600, chunkOverlap: 60 }, dryRun: true } });
    expect(plan).toMatchObject({ dryRun: true, diff: [{ field: "chunkSize", from: 300, to: 600 }, { field: "chunkOverlap", from: 30, to: 60 }], refusals: {} });
    expect(plan.estimate.documents).toBe(120);
    expect(plan.estimate.points).toBeLessThan(before.stats.points);
    await expect(h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 600, chunkOverlap: 60 }, confirm: "wrong" } })).rejects.toMatchObject({ fieldErrors: { confirm: [expect.stringContaining("blue-green")] } });

    const { operationId } = await h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 600, chunkOverlap: 60 }, requireApproval: true, confirm: "blue-green" } });
    await waitFor(async () => (await step(operationId, "approval"))?.status === "running" || (await step(operationId, "validation"))?.status === "failed", 120_000, "the reindex to await approval");
    const validation = await step(operationId, "validation");
    expect({ status: validation?.status, gates: (validation?.output as { gates: unknown[] }).gates }).toMatchObject({ status: "succeeded" });
    const report = validation!.output as { points: number; expectedPoints: number; recallNew: number; gates: { name: string; passed: boolean }[] };
    expect(report.points).toBe(report.expectedPoints);
    expect(report.gates.map((g) => g.name)).toEqual(["count", "dimension", "overlap", "recall", "score_drift"]);
    expect((await h.svc.getOperation({ ctx, input: { operationId } })).operation).toMatchObject({ status: "waiting", statusMessage: expect.stringContaining("Awaiting approval") });
    // Still the old version live while it waits.
    expect((await versions(collectionId)).versions.find((v) => v.status === "active")?.version).toBe(1);

    await h.svc.decideReindex({ ctx: approver, input: { operationId, decision: "approve", comment: "counts and recall look right" } });
    await expect(h.svc.decideReindex({ ctx, input: { operationId, decision: "reject" } })).rejects.toMatchObject({ code: "conflict" });
    const done = await h.finished(ctx, operationId, 60_000);
    expect(done).toMatchObject({ status: "succeeded", result: { fromVersion: 1, toVersion: 2, keptVersion: 1 } });
    const names = (await h.svc.getOperation({ ctx, input: { operationId } })).steps.map((s) => `${s.name}:${s.status}`);
    expect(names).toEqual(expect.arrayContaining(["preflight:succeeded", "staging:succeeded", "reprocessing:succeeded", "validation:succeeded", "approval:succeeded", "switch:succeeded", "cleanup:succeeded"]));

    let v = await versions(collectionId);
    expect(v.versions.map((x) => [x.version, x.status, x.chunkSize])).toEqual([[2, "active", 600], [1, "retired", 300]]);
    const store = await h.svc.getVectorStore();
    expect(await store.resolveAlias("blue-green")).toBe("blue-green__v2");
    const after = await h.svc.getCollection({ ctx, input: { collectionId } });
    expect(after.collection.chunkSize).toBe(600);
    expect(after.stats.points).toBe(await store.count("blue-green__v2"));
    expect(after.stats.points).toBeLessThan(before.stats.points);

    // Roll back: version 1 again, with its chunk counts.
    const back = await h.svc.rollBackCollection({ ctx, input: { collectionId } });
    expect(await h.finished(ctx, back.operationId, 60_000)).toMatchObject({ status: "succeeded", result: { fromVersion: 2, toVersion: 1 } });
    expect(await store.resolveAlias("blue-green")).toBe("blue-green__v1");
    const rolled = await h.svc.getCollection({ ctx, input: { collectionId } });
    expect(rolled.collection.chunkSize).toBe(300);
    expect(rolled.stats.points).toBe(before.stats.points);

    // And reindex again, without approval this time.
    const again = await h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 800, chunkOverlap: 0 }, confirm: "blue-green" } });
    expect(await h.finished(ctx, again.operationId, 120_000)).toMatchObject({ status: "succeeded", result: { fromVersion: 1, toVersion: 3 } });
    const stats = await loop.stop();

    v = await versions(collectionId);
    expect(v.history.map((c) => [c.reason, c.fromVersion, c.toVersion])).toEqual([["reindex", 1, 3], ["rollback", 2, 1], ["reindex", 1, 2], ["index", null, 1]]);
    expect(v.history[2]!.actorLabel).toBe(approver.actor.email);
    expect(v.versions.map((x) => [x.version, x.status])).toEqual([[3, "active"], [2, "retired"], [1, "retired"]]);
    expect(v.orphans).toEqual([]);
    expect(stats.queries).toBeGreaterThan(20);
    expect({ failed: stats.failed, empty: stats.empty, errors: stats.errors.slice(0, 3) }).toEqual({ failed: 0, empty: 0, errors: [] });
  }, 300_000);

  it("an embedder that returns garbage fails validation: the staging version is deleted and the live one serves on", async () => {
    const collectionId = await indexed("garbage-in", 60, "openai:fake-embed");
    fake.garbage();
    try {
      const { operationId } = await h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 500, chunkOverlap: 50 }, confirm: "garbage-in" } });
      const done = await h.finished(ctx, operationId, 120_000);
      expect(done.status).toBe("failed");
      // Random vectors find random documents: the overlap with the live version falls, and usually
      // recall too (the fake also garbles the live side's query vectors, so recall's bar can drop to half).
      expect(done.error).toMatch(/^Validation failed: .*(overlap|recall)/);
      const validation = await step(operationId, "validation");
      expect(validation).toMatchObject({ status: "failed", output: { passed: false } });
      const v = await versions(collectionId);
      expect(v.versions.map((x) => [x.version, x.status])).toEqual([[2, "failed"], [1, "active"]]);
      expect(await (await h.svc.getVectorStore()).listCollections()).not.toContain("garbage-in__v2");
      expect(v.orphans).toEqual([]);
      expect(v.history).toHaveLength(1);
    } finally {
      fake.recover();
    }
    const { hits } = await h.svc.searchCollection({ ctx, input: { collectionId, query: "berth crane", limit: 3 } });
    expect(hits.length).toBe(3);
  }, 200_000);

  it("a rejection deletes the staging version and says who rejected it and why", async () => {
    const collectionId = await indexed("rejected", 30);
    const { operationId } = await h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 500, chunkOverlap: 50 }, requireApproval: true, confirm: "rejected" } });
    await waitFor(async () => (await step(operationId, "approval"))?.status === "running", 120_000, "the reindex to await approval");
    await h.svc.decideReindex({ ctx: approver, input: { operationId, decision: "reject", comment: "wrong chunk size" } });
    const done = await h.finished(ctx, operationId, 60_000);
    expect(done).toMatchObject({ status: "failed", error: expect.stringContaining(`Rejected by ${approver.actor.email}: “wrong chunk size”`) });
    expect((await versions(collectionId)).versions.map((x) => [x.version, x.status])).toEqual([[2, "failed"], [1, "active"]]);
  }, 200_000);

  it("a reindex cancelled while it reprocesses gives its staging version up; the live version is untouched and searchable", async () => {
    const collectionId = await indexed("cancelled-reindex", 80);
    // Throttled to 20 documents/s, so it is surely mid-way when cancelled.
    const { operationId } = await h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 500, chunkOverlap: 50 }, throttleDocsPerS: 20, confirm: "cancelled-reindex" } });
    await waitFor(async () => ((await h.svc.getOperation({ ctx, input: { operationId } })).operation.progress?.done ?? 0) > 0, 60_000, "reprocessing to start");
    await h.svc.cancelOperation({ ctx, input: { operationId } });
    await waitFor(async () => (await versions(collectionId)).versions.find((x) => x.version === 2)?.status === "failed", 30_000, "the staging version to be given up");
    const v = await versions(collectionId);
    expect(v.versions.map((x) => [x.version, x.status])).toEqual([[2, "failed"], [1, "active"]]);
    expect(await (await h.svc.getVectorStore()).listCollections()).not.toContain("cancelled-reindex__v2");
    expect(v.orphans).toEqual([]);
    const detail = await h.svc.getCollection({ ctx, input: { collectionId } });
    expect(detail.collection).toMatchObject({ chunkSize: 300, status: "ready" });
    expect((await h.svc.searchCollection({ ctx, input: { collectionId, query: "berth crane", limit: 3 } })).hits).toHaveLength(3);
  }, 200_000);

  it("an embedding failure mid-way is retried, and the retry writes again at most the one batch in flight, not from the start", async () => {
    const collectionId = await indexed("cut-short", 200, "openai:fake-embed");
    fake.latency(150); // each embedding request takes a while, so the failure lands inside a batch
    try {
      const { operationId } = await h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 500, chunkOverlap: 50 }, confirm: "cut-short" } });
      // Once the first batch (40 documents) is committed, the next embedding request fails.
      await waitFor(async () => ((await h.svc.getOperation({ ctx, input: { operationId } })).operation.progress?.done ?? 0) >= 40, 60_000, "the first batch");
      const failedBefore = fake.stats().failed;
      fake.failNext(1, 503);
      expect((await h.finished(ctx, operationId, 120_000)).status).toBe("succeeded");
      // With no retries in the embedder (STEVEDORE_EMBEDDING_MAX_RETRIES=0), the failure served here failed the step.
      expect(fake.stats().failed).toBe(failedBefore + 1);
      const output = (await step(operationId, "reprocessing"))!.output as { documents: number; rewritten: number };
      expect(output.documents).toBe(200);
      // The next batch is embedded while one writes, so the failure may land before that batch wrote anything:
      // what holds is that the retry starts over at most the batch in flight, never from the start.
      expect(output.rewritten).toBeLessThanOrEqual(40);
    } finally {
      fake.recover();
    }
  }, 200_000);
});

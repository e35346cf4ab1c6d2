import fs from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, getSql } from "@/db/client";
import { eq } from "drizzle-orm";
import { aliasChanges } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@/lib/embeddings/test-support/fake-openai-server";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "../context";

/**
 * Bulk actions through the real executor and functions: a bulk cancel must stop every run and
 * release the collection, as 50 single cancels would; a bulk retry starts each failed operation
 * again through its own start verb.
 */
describe("bulk actions on the job history", () => {
  let h: PipelineHarness;
  let fake: FakeOpenAiServer;
  let ctx: ServiceContext;
  let bulk: typeof import("./bulk-cancel") & typeof import("./bulk-retry");

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ dimension: 16 });
    h = await startPipelineHarness({
      STEVEDORE_EMBEDDING_URL: fake.url,
      STEVEDORE_EMBEDDING_API_KEY: fake.apiKey!,
      STEVEDORE_EMBEDDING_DIMENSION: "16",
      STEVEDORE_EMBEDDING_TIMEOUT_MS: "60000",
      STEVEDORE_PIPELINE_BATCH_SIZE: "2",
      STEVEDORE_DISK_MARGIN_BYTES: "0",
    });
    bulk = { ...(await import("./bulk-cancel")), ...(await import("./bulk-retry")) };
    ctx = await actorContext("operator");
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  async function folder(name: string, files: number) {
    const dir = path.join(h.root, name);
    await fs.mkdir(dir, { recursive: true });
    for (let i = 0; i < files; i++) await fs.writeFile(path.join(dir, `doc-${i}.md`), `# Doc ${i}\n\n${"Quay cranes and bonded yards. ".repeat(30)} ${i}`);
    return dir;
  }

  const statusOf = async (id: string) => (await h.svc.getOperation({ ctx, input: { operationId: id } })).operation.status;
  const activeRuns = async (ids: string[]) =>
    (await getSql()<{ n: number }[]>`select count(*)::int as n from executor_runs where event->'data'->>'operationId' = any(${ids}) and status in ('queued', 'running', 'sleeping', 'waiting')`)[0]!.n;

  it("a bulk cancel of 50 running or queued operations cancels all 50 and writes one audit entry with the count", async () => {
    // The INDEX runs slowly (every embedding call takes 10 s) and holds the collection; 49 APPENDs queue behind it.
    fake.latency(10_000);
    const dir = await folder("bulk-cancel", 8);
    const { collectionId, operationId: indexId } = await h.svc.createCollection({ ctx, input: { name: "bulk-cancel", embeddingModel: "openai:fake-embed", source: { kind: "directory", name: "bulk-cancel", path: dir } } });
    await waitFor(async () => (await statusOf(indexId)) === "running", 30_000, "the INDEX to run");
    const { sourceId } = (await h.svc.getOperation({ ctx, input: { operationId: indexId } })).operation.params as { sourceId: string };
    const appends: string[] = [];
    for (let i = 0; i < 49; i++) appends.push((await h.svc.appendSource({ ctx, input: { collectionId, sourceId } })).operationId);
    const all = [indexId, ...appends];
    const statuses = await Promise.all(all.map(statusOf));
    expect(statuses.filter((s) => ["queued", "running", "waiting"].includes(s))).toHaveLength(50);
    expect(statuses[0]).toBe("running");

    const filter = { collectionId };
    expect(await bulk.bulkCancelOperations({ ctx, input: { filter, dryRun: true } })).toEqual({ dryRun: true, matched: 50, cancelled: 50, skipped: [] });
    const audited = (await auditRowsOf(ctx.correlationId)).length;
    const summary = await bulk.bulkCancelOperations({ ctx, input: { filter } });
    expect(summary).toEqual({ dryRun: false, matched: 50, cancelled: 50, skipped: [] });

    const entries = (await auditRowsOf(ctx.correlationId)).slice(audited);
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([["operation.bulk-cancel", "success"]]);
    expect(entries[0]!.params).toMatchObject({ filter: { collectionId }, matched: 50, count: 50 });
    expect(new Set(await Promise.all(all.map(statusOf)))).toEqual(new Set(["cancelled"]));
    // Each really stopped: no run of theirs goes on, the INDEX's documents were rolled back ...
    await waitFor(async () => (await activeRuns(all)) === 0, 60_000, "every cancelled operation's runs to end");
    await waitFor(
      async () => (await getSql()<{ n: number }[]>`select count(*)::int as n from documents where operation_id = ${indexId} and stage not in ('complete', 'dead', 'failed')`)[0]!.n === 0,
      30_000,
      "the INDEX's documents to be rolled back",
    );
    // ... and the collection is free: the next operation on it starts at once and finishes.
    fake.recover();
    const next = await h.svc.appendSource({ ctx, input: { collectionId, sourceId } });
    expect((await h.finished(ctx, next.operationId, 90_000)).status).toBe("succeeded");
    // Nothing left to cancel: a second bulk cancel of the filter finds none, and says so in its own entry.
    expect(await bulk.bulkCancelOperations({ ctx, input: { filter } })).toEqual({ dryRun: false, matched: 0, cancelled: 0, skipped: [] });
  }, 240_000);

  it("cancels the selected ids and counts, apart, those that had finished and a reindex past its switch", async () => {
    const [collection] = await getDb()
      .insert(collections)
      .values({ name: `bulk-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
      .returning();
    const [done, queued, switched] = await getDb()
      .insert(operations)
      .values([
        { type: "SELF_TEST", status: "succeeded", requestedBy: ctx.actor.id, correlationId: randomUUID() },
        { type: "SELF_TEST", status: "queued", requestedBy: ctx.actor.id, correlationId: randomUUID() },
        { type: "REINDEX", status: "running", collectionId: collection!.id, requestedBy: ctx.actor.id, correlationId: randomUUID() },
      ])
      .returning();
    await getDb().insert(aliasChanges).values({ collectionId: collection!.id, actorLabel: "test", fromVersion: 1, toVersion: 2, operationId: switched!.id, reason: "reindex" });
    const ids = [done!.id, queued!.id, switched!.id];
    const skipped = [
      { reason: "already finished", count: 1 },
      { reason: "already switched its collection (finishes on its own; roll back instead)", count: 1 },
    ];
    expect(await bulk.bulkCancelOperations({ ctx, input: { ids, dryRun: true } })).toEqual({ dryRun: true, matched: 3, cancelled: 1, skipped });
    expect(await bulk.bulkCancelOperations({ ctx, input: { ids } })).toEqual({ dryRun: false, matched: 3, cancelled: 1, skipped });
    expect(await Promise.all(ids.map(statusOf))).toEqual(["succeeded", "cancelled", "running"]);
    await getDb().update(operations).set({ status: "succeeded" }).where(eq(operations.id, switched!.id));
  });

  it("retries failed operations through their start verbs, linked by retryOf, and says which types it cannot retry", async () => {
    const operator = await actorContext("operator");
    const dir = await folder("bulk-retry", 2);
    const created = await h.svc.createCollection({ ctx: operator, input: { name: "bulk-retry", source: { kind: "directory", name: "bulk-retry", path: dir } } });
    expect((await h.finished(operator, created.operationId)).status).toBe("succeeded");
    const { sourceId } = (await h.svc.getOperation({ ctx: operator, input: { operationId: created.operationId } })).operation.params as { sourceId: string };
    const failed = (type: "APPEND" | "SELF_TEST" | "INDEX" | "BACKUP", params: Record<string, unknown> = {}) => ({
      type,
      status: "failed" as const,
      collectionId: type === "SELF_TEST" ? null : created.collectionId,
      params,
      error: "it broke",
      requestedBy: operator.actor.id,
      correlationId: randomUUID(),
    });
    const rows = await getDb()
      .insert(operations)
      .values([failed("APPEND", { sourceId, source: "bulk-retry" }), failed("SELF_TEST"), failed("INDEX", { sourceId }), failed("BACKUP"), failed("APPEND", { retry: true })])
      .returning();
    const [append, selfTest] = rows;
    const filter = { actor: operator.actor.email, status: "failed" };

    const preview = await bulk.bulkRetryOperations({ ctx: operator, input: { filter, dryRun: true } });
    expect(preview).toMatchObject({ dryRun: true, matched: 5, retried: 2 });
    expect(preview.skipped.map((s) => s.reason).sort()).toEqual([
      "BACKUP has no retry yet: start it again from its page",
      "a dead-letter retry: retry its documents from the collection's Dead letters tab",
      "an INDEX created its collection: append its source again from the Sources tab",
    ]);
    const audited = (await auditRowsOf(operator.correlationId)).length;
    const result = await bulk.bulkRetryOperations({ ctx: operator, input: { filter } });
    expect(result).toMatchObject({ dryRun: false, matched: 5, retried: 2, refused: [] });
    const byOriginal = new Map(result.started.map((s) => [s.retryOf, s.operationId]));
    for (const original of [append!, selfTest!]) {
      const retry = (await h.svc.getOperation({ ctx: operator, input: { operationId: byOriginal.get(original.id)! } })).operation;
      expect(retry).toMatchObject({ type: original.type, params: expect.objectContaining({ retryOf: original.id }) });
      expect((await h.finished(operator, retry.id, 60_000)).status).toBe("succeeded");
    }
    const entries = (await auditRowsOf(operator.correlationId)).slice(audited);
    expect(entries.filter((e) => e.action === "operation.bulk-retry")).toEqual([expect.objectContaining({ outcome: "success", params: expect.objectContaining({ filter, matched: 5, count: 2 }) })]);
    // The new operations are audited by their own start verbs.
    expect(entries.filter((e) => e.action === "operation.start")).toHaveLength(2);

    // A failed operation already retried is not retried twice.
    const again = await bulk.bulkRetryOperations({ ctx: operator, input: { ids: [append!.id, selfTest!.id], dryRun: true } });
    expect(again).toMatchObject({ matched: 2, retried: 0, skipped: [{ reason: "already retried", count: 2 }] });
  }, 180_000);
});

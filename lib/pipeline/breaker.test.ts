import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorContext } from "@/db/test/factories";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@/lib/embeddings/test-support/fake-openai-server";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import type { ServiceContext } from "@/lib/services/context";
import { startPipelineHarness, type PipelineHarness } from "./test-support/harness";

/** An OpenAI-compatible embedding service that fails with 500s, over a real socket, then recovers. */
describe("pipeline with a failing embedding service", () => {
  let h: PipelineHarness;
  let fake: FakeOpenAiServer;
  let ctx: ServiceContext;

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ dimension: 64 });
    h = await startPipelineHarness({
      STEVEDORE_EMBEDDING_URL: fake.url,
      STEVEDORE_EMBEDDING_API_KEY: fake.apiKey!,
      STEVEDORE_EMBEDDING_DIMENSION: "64",
      STEVEDORE_EMBEDDING_BREAKER_FAILURES: "3",
      STEVEDORE_EMBEDDING_BREAKER_RESET_MS: "1000",
      STEVEDORE_EMBEDDING_MAX_RETRIES: "0",
      STEVEDORE_PIPELINE_BATCH_SIZE: "5",
    });
    ctx = await actorContext("operator");
  });

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it("opens the breaker, reports degraded health, waits, and completes without duplicates once the service recovers", async () => {
    const dir = path.join(h.root, "flaky");
    await fs.mkdir(dir);
    for (let i = 0; i < 20; i++) await fs.writeFile(path.join(dir, `doc-${i}.md`), `# Doc ${i}\n\n${"Words about embedding services and their outages. ".repeat(20 + i)}`);
    fake.failAll(500);
    const { collectionId, operationId } = await h.svc.createCollection({ ctx, input: { name: "flaky", embeddingModel: "openai:fake-embed", source: { kind: "directory", name: "flaky", path: dir }, chunkSize: 300, chunkOverlap: 30 } });

    const { checkReadiness } = await import("@/lib/services/health/check-ready");
    // Waits for the embedder's own check: on a loaded machine a slow PostgreSQL can degrade readiness first.
    const degraded = await waitFor(async () => {
      const readiness = await checkReadiness();
      return readiness.checks.find((c) => c.name === "embedder openai:fake-embed")?.status === "degraded" ? readiness : undefined;
    }, 20_000);
    expect(degraded.status).toBe("degraded");
    expect(degraded.checks.find((c) => c.name === "embedder openai:fake-embed")).toMatchObject({ status: "degraded", message: expect.stringContaining("circuit breaker open") });

    // While the service is down the operation waits: nothing is lost, nothing given up.
    await new Promise((r) => setTimeout(r, 2500));
    const { operation: waiting } = await h.svc.getOperation({ ctx, input: { operationId } });
    expect(waiting.status).toBe("running");
    const dead = await h.svc.listDocuments({ ctx, input: { collectionId, stage: "dead" } });
    expect(dead.documents).toHaveLength(0);
    const failedRequests = fake.stats().requests;
    expect(failedRequests).toBeGreaterThanOrEqual(3);

    fake.recover();
    const done = await h.finished(ctx, operationId, 60_000);
    expect(done.status).toBe("succeeded");
    expect(done.result).toMatchObject({ inserted: 20, failed: 0 });
    expect(await (await h.svc.getVectorStore()).count("flaky")).toBe(done.result!.chunks);
    expect((await checkReadiness()).checks.find((c) => c.name === "embedder openai:fake-embed")?.status).toBe("healthy");

    // The log tells the story: failed attempts with their reason, the breaker opening and closing,
    // each batch stored, and the finish; never the service's own error text.
    const log = (await h.svc.listOperationLogs({ ctx, input: { operationId, limit: 500 } })).lines.map((l) => l.message);
    expect(log.some((l) => /^Embed batch \S+: attempt \d+ of 21 failed \(embedding service error \(500\)\); retrying in \d+ s\.$/.test(l))).toBe(true);
    const opened = log.findIndex((l) => l.startsWith("Circuit breaker open: openai:fake-embed failed 3 time(s) in a row (embedding service error (500)). Embedding pauses"));
    const closed = log.indexOf("Circuit breaker closed: openai:fake-embed answers again; embedding resumes.");
    expect(opened).toBeGreaterThanOrEqual(0);
    expect(closed).toBeGreaterThan(opened);
    const stored = log.filter((l) => /^Embed batch \S+: 5 document\(s\) stored, \d+ chunks\.$/.test(l));
    expect(stored).toHaveLength(4);
    expect(log.at(-1)).toMatch(/^Finished: 20 indexed, 0 duplicate\(s\), 0 dead; 0 unchanged; \d+ chunks\.$/);
    expect(log.join("\n")).not.toContain("Injected failure");
  }, 90_000);
});

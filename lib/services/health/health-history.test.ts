import fs from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { actorContext } from "@/db/test/factories";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import { dataPath } from "@/lib/env";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@/lib/embeddings/test-support/fake-openai-server";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";

const EMBEDDER = "embedder openai:fake-embed";
const VECTOR_STORE = "vector store (lancedb)";
// Another suite may seed history in the future (lib/services/dashboard): this one touches only samples up to now.
const recent = () => getSql()`at < now() + interval '1 day'`;

/**
 * The sampler as `npm start` runs it (its cron fired by the local executor against the real serve()
 * handler, real PostgreSQL and LanceDB): health degrades while the vector store and the embedding
 * service are gone, comes back when they return, and the history shows the dip.
 */
describe("health sampler and history", () => {
  let h: PipelineHarness;
  let fake: FakeOpenAiServer;
  let ctx: ServiceContext;
  let services: {
    checkReadiness: typeof import("./check-ready").checkReadiness;
    getHealthHistory: typeof import("./history").getHealthHistory;
    pruneHealthSamples: typeof import("./sample").pruneHealthSamples;
    recordHealthSample: typeof import("./sample").recordHealthSample;
    embed: (text: string) => Promise<unknown>;
  };

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ dimension: 8 });
    h = await startPipelineHarness({
      STEVEDORE_EMBEDDING_URL: fake.url,
      STEVEDORE_EMBEDDING_API_KEY: fake.apiKey!,
      STEVEDORE_EMBEDDING_DIMENSION: "8",
      STEVEDORE_EMBEDDING_BREAKER_FAILURES: "1",
      STEVEDORE_EMBEDDING_BREAKER_RESET_MS: "200",
      STEVEDORE_EMBEDDING_MAX_RETRIES: "0",
      STEVEDORE_HEALTH_RETENTION_DAYS: "14",
    });
    const { getEmbedder } = await import("@/lib/embeddings");
    services = {
      ...(await import("./check-ready")),
      ...(await import("./history")),
      ...(await import("./sample")),
      embed: (text) => getEmbedder("openai:fake-embed").embed([text]),
    };
    ctx = await actorContext("viewer");
    await (await h.svc.getVectorStore()).health();
    await services.embed("warm up: the embedder is known to this process, its breaker closed");
    await getSql()`delete from health_samples where ${recent()}`;
  });

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  /** Fires the sampler's cron now and waits for its sample; then ages every sample by 20 minutes, as if time went on. */
  async function sampleThroughExecutor() {
    const sql = getSql();
    const [{ n: before }] = await sql<[{ n: number }]>`select count(*)::int as n from health_samples where ${recent()}`;
    const fired = await sql`update executor_crons set next_at = now() where function_id like '%sample-health'`;
    expect(fired.count).toBe(1);
    type Row = { id: number; status: string; components: Record<string, { status: string; message?: string }>; disk_free: Record<string, number>; rss_bytes: number };
    const sample = await waitFor(
      async () => {
        const [{ n }] = await sql<[{ n: number }]>`select count(*)::int as n from health_samples where ${recent()}`;
        return n > before ? (await sql<Row[]>`select * from health_samples where ${recent()} order by id desc limit 1`)[0] : undefined;
      },
      15_000,
      "a new health sample",
    );
    await sql`update health_samples set at = at - interval '20 minutes' where ${recent()}`;
    return sample;
  }

  it("degrades while the vector store and the embedder are unavailable, recovers, and its history shows the dip", async () => {
    const healthy = await sampleThroughExecutor();
    expect(healthy.components[VECTOR_STORE]).toEqual({ status: "healthy" });
    expect(healthy.components[EMBEDDER]).toEqual({ status: "healthy" });
    expect(Object.keys(healthy.disk_free).sort()).toEqual(["backups", "data", "lancedb"]);
    expect(Number(healthy.rss_bytes)).toBeGreaterThan(0);

    // The vector store's directory disappears (a lost mount), and the embedding service fails.
    const lancedb = dataPath("lancedb");
    await fs.rename(lancedb, `${lancedb}.away`);
    fake.failAll(503);
    await expect(services.embed("during the outage")).rejects.toThrow();
    const readiness = await services.checkReadiness();
    expect(readiness.status).toBe("degraded");
    expect(readiness.checks.find((c) => c.name === VECTOR_STORE)).toMatchObject({ status: "degraded", message: expect.stringContaining("searches fail") });
    expect(readiness.checks.find((c) => c.name === EMBEDDER)).toMatchObject({ status: "degraded", message: expect.stringContaining("circuit breaker open") });
    const degraded = await sampleThroughExecutor();
    expect(degraded.status).toBe("degraded");
    expect(degraded.components[VECTOR_STORE]?.status).toBe("degraded");
    // The breaker may be half-open by now (its reset is short here): still degraded until a trial succeeds.
    expect(degraded.components[EMBEDDER]).toMatchObject({ status: "degraded", message: expect.stringMatching(/circuit breaker (open|half-open)/) });

    // Both return: the directory is back, and the breaker's trial request succeeds.
    await fs.rename(`${lancedb}.away`, lancedb);
    fake.recover();
    await new Promise((r) => setTimeout(r, 250));
    await services.embed("after the outage");
    const recovered = await sampleThroughExecutor();
    expect(recovered.components[VECTOR_STORE]).toEqual({ status: "healthy" });
    expect(recovered.components[EMBEDDER]).toEqual({ status: "healthy" });

    const history = await services.getHealthHistory({ ctx, input: { range: "24h" } });
    const timeline = (component: string) => history.statuses.filter((r) => r.component === component).map((r) => r.worst);
    // Samples 20 minutes apart land in three 10-minute buckets: healthy, degraded, healthy.
    expect(timeline(VECTOR_STORE)).toEqual([0, 1, 0]);
    expect(timeline(EMBEDDER)).toEqual([0, 1, 0]);
    expect(history.resources).toHaveLength(3);
    expect(history.resources.every((r) => r.rssBytes > 0)).toBe(true);
    expect(new Set(history.disks.map((d) => d.dir))).toEqual(new Set(["backups", "data", "lancedb"]));
  });

  it("prunes samples past retention and keeps the rest", async () => {
    const sql = getSql();
    const now = new Date();
    await services.recordHealthSample(new Date(now.getTime() - 15 * 86_400_000));
    await services.recordHealthSample(new Date(now.getTime() - 13 * 86_400_000));
    const [{ n: before }] = await sql<[{ n: number }]>`select count(*)::int as n from health_samples where ${recent()}`;
    expect(await services.pruneHealthSamples(now)).toEqual({ deleted: 1 });
    const [{ n: after }] = await sql<[{ n: number }]>`select count(*)::int as n from health_samples where ${recent()}`;
    expect(after).toBe(before - 1);
    expect((await sql`select 1 from health_samples where at < ${new Date(now.getTime() - 14 * 86_400_000).toISOString()}::timestamptz`).length).toBe(0);
  });

  it("refuses a caller without a role", async () => {
    const anonymous: ServiceContext = { ...ctx, actor: { ...ctx.actor, role: null } };
    await expect(services.getHealthHistory({ ctx: anonymous, input: {} })).rejects.toMatchObject({ code: "forbidden" });
  });
});

import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { actorContext } from "@/db/test/factories";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";
import { sampleValue, serveRoute, type RouteServer } from "./metrics-test-server";

/** promtool from Debian's `prometheus` package (.ci/run installs it): without it this suite fails, it does not skip. */
function promtoolCheck(exposition: string): { status: number | null; output: string } {
  const run = spawnSync("promtool", ["check", "metrics"], { input: exposition, encoding: "utf8" });
  if (run.error) throw new Error(`promtool could not run (${run.error.message}): apt-get install prometheus`);
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

/** The live endpoint while real operations run: the app's functions, the local executor, PostgreSQL, LanceDB. */
describe("/api/metrics with operations running", () => {
  let h: PipelineHarness;
  let executorStopped = false;
  let server: RouteServer;
  let ctx: ServiceContext;
  let startSelfTest: typeof import("@/lib/services/operation/start-self-test").startSelfTest;

  const scrape = async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    return res.text();
  };
  /** How much a sample grew between two scrapes (absent counts as 0: a label set appears with its first event). */
  const moved = (before: string, after: string, name: string, labels: Record<string, string> = {}) => (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);

  beforeAll(async () => {
    h = await startPipelineHarness({ STEVEDORE_PIPELINE_BATCH_SIZE: "2" });
    ctx = await actorContext("operator");
    ({ startSelfTest } = await import("@/lib/services/operation/start-self-test"));
    server = await serveRoute(await import("@/app/api/metrics/route"));
  });

  afterAll(async () => {
    await server?.close();
    if (!executorStopped) await h?.close();
  });

  it("counts an INDEX and a SELF_TEST as they run: operations, durations, retries, stages, embedder and vector store calls, gauges", async () => {
    const dir = path.join(h.root, "metrics-docs");
    await fs.mkdir(dir);
    for (let i = 0; i < 3; i++) await fs.writeFile(path.join(dir, `note-${i}.md`), `# Note ${i}\n\n${`Cargo manifest line ${i} for the harbour master. `.repeat(40)}\n`);
    await fs.writeFile(path.join(dir, "empty.txt"), "");
    const before = await scrape();

    const { collectionId, operationId } = await h.svc.createCollection({ ctx, input: { name: "metered", source: { kind: "directory", name: "docs", path: dir }, chunkSize: 300, chunkOverlap: 30 } });
    const selfTest = await startSelfTest({ ctx });
    const index = await h.finished(ctx, operationId);
    const test = await h.finished(ctx, selfTest.id);
    expect([index.status, test.status]).toEqual(["succeeded", "succeeded"]);
    const chunks = index.result!.chunks as number;
    expect(chunks).toBeGreaterThan(3);
    const after = await scrape();

    expect(moved(before, after, "stevedore_operations_total", { type: "INDEX", status: "succeeded" })).toBe(1);
    expect(moved(before, after, "stevedore_operations_total", { type: "SELF_TEST", status: "succeeded" })).toBe(1);
    expect(moved(before, after, "stevedore_operation_duration_seconds_count", { type: "SELF_TEST", status: "succeeded" })).toBe(1);
    // The self-test sleeps 2 s between its steps.
    expect(moved(before, after, "stevedore_operation_duration_seconds_sum", { type: "SELF_TEST", status: "succeeded" })).toBeGreaterThanOrEqual(2);
    expect(moved(before, after, "stevedore_operation_duration_seconds_bucket", { type: "SELF_TEST", status: "succeeded", le: "1" })).toBe(0);
    expect(moved(before, after, "stevedore_operation_duration_seconds_bucket", { type: "SELF_TEST", status: "succeeded", le: "+Inf" })).toBe(1);
    // Its flaky step fails its first attempt on purpose: one retry, one transient error.
    expect(moved(before, after, "stevedore_step_retries_total", { function: "run-self-test" })).toBe(1);
    expect(moved(before, after, "stevedore_errors_total", { class: "transient" })).toBeGreaterThanOrEqual(1);

    // 4 files in batches of 2: every stage ran, the parse stage once per batch.
    for (const stage of ["scan", "parse", "chunk", "embed", "store"]) expect(moved(before, after, "stevedore_pipeline_stage_seconds_count", { stage }), stage).toBeGreaterThanOrEqual(1);
    expect(moved(before, after, "stevedore_pipeline_stage_seconds_count", { stage: "parse" })).toBeGreaterThanOrEqual(2);
    expect(moved(before, after, "stevedore_embedding_call_seconds_count", { model: "builtin-hash", outcome: "ok" })).toBeGreaterThanOrEqual(1);
    expect(moved(before, after, "stevedore_embedding_batch_size_sum", { model: "builtin-hash" })).toBe(chunks);
    expect(moved(before, after, "stevedore_vector_store_call_seconds_count", { backend: "lancedb", method: "upsert", outcome: "ok" })).toBeGreaterThanOrEqual(1);
    expect(moved(before, after, "stevedore_vector_store_call_seconds_count", { backend: "lancedb", method: "createCollection", outcome: "ok" })).toBe(1);
    expect(moved(before, after, "stevedore_embedding_tokens_total", { model: "builtin-hash" })).toBeGreaterThan(0);

    // Gauges read from PostgreSQL when scraped.
    expect(sampleValue(after, "stevedore_collection_documents", { collection: "metered" })).toBe(4);
    expect(sampleValue(after, "stevedore_dead_letters", { collection: "metered" })).toBe(1);
    expect(sampleValue(after, "stevedore_collection_points", { collection: "metered" })).toBe(chunks);
    expect(sampleValue(after, "stevedore_embedder_breaker_state", { model: "builtin-hash", state: "closed" })).toBe(1);
    expect(sampleValue(after, "stevedore_embedder_breaker_state", { model: "builtin-hash", state: "open" })).toBe(0);
    expect(sampleValue(after, "stevedore_backup_age_seconds", { collection: "metered" })).toBeUndefined();

    // The latest complete backup counts, not a later failed one.
    await getSql()`
      insert into backups (collection_id, collection_name, kind, status, path, finished_at) values
        (${collectionId}, 'metered', 'full', 'complete', '/b/1', now() - interval '2 hours'),
        (${collectionId}, 'metered', 'full', 'complete', '/b/2', now() - interval '1 hour'),
        (${collectionId}, 'metered', 'full', 'failed', '/b/3', now())`;
    const age = sampleValue(await scrape(), "stevedore_backup_age_seconds", { collection: "metered" });
    expect(age).toBeGreaterThanOrEqual(3600);
    expect(age).toBeLessThan(3700);
  });

  it("counts an operation cancelled by its verb once, as cancelled", async () => {
    const before = await scrape();
    const op = await startSelfTest({ ctx });
    await waitFor(async () => (await getSql()`select 1 from executor_runs where event->'data'->>'operationId' = ${op.id} and status = 'sleeping'`).length > 0, 10_000, "the self-test to sleep");
    await h.svc.cancelOperation({ ctx, input: { operationId: op.id } });
    expect((await h.finished(ctx, op.id)).status).toBe("cancelled");
    // Its run's own end (cancelled with the operation) must not count it again.
    await waitFor(async () => (await getSql()`select 1 from executor_runs where event->'data'->>'operationId' = ${op.id} and status = 'cancelled'`).length > 0, 10_000, "the run to stop");
    const after = await scrape();
    expect(moved(before, after, "stevedore_operations_total", { type: "SELF_TEST", status: "cancelled" })).toBe(1);
    expect(moved(before, after, "stevedore_operation_duration_seconds_count", { type: "SELF_TEST", status: "cancelled" })).toBe(1);
    expect(moved(before, after, "stevedore_operations_total", { type: "SELF_TEST", status: "succeeded" })).toBe(0);
  });

  it("is a valid exposition by promtool's rules", async () => {
    const exposition = await scrape();
    expect(exposition).toContain("stevedore_operations_total{");
    expect(promtoolCheck(exposition)).toEqual({ status: 0, output: "" });
    // promtool does catch a broken exposition (so the check above can fail).
    expect(promtoolCheck(`${exposition}stevedore_broken{collection="x} 1\n`).status).not.toBe(0);
  });

  it("reads the executor's waiting work from PostgreSQL", async () => {
    // Stopped, so that no executor claims the work written here.
    await h.close();
    executorStopped = true;
    const sql = getSql();
    // What the stopped executor left due (clean-ups of the cancel above) is the baseline.
    const left = sampleValue(await scrape(), "stevedore_executor_runs_waiting")!;
    const [{ id }] = await sql<[{ id: string }]>`insert into executor_runs (function_id, event) values ('metrics-test-none', '{}'::jsonb) returning id`;
    await sql`insert into executor_queue (run_id, kind, run_at) values (${id}, 'call', now() - interval '90 seconds'), (${id}, 'sleep', now() - interval '10 seconds'), (${id}, 'call', now() + interval '1 hour')`;
    try {
      const exposition = await scrape();
      expect(sampleValue(exposition, "stevedore_executor_runs_waiting")).toBe(left + 1);
      expect(sampleValue(exposition, "stevedore_executor_oldest_waiting_seconds")).toBeGreaterThanOrEqual(90);
    } finally {
      await sql`delete from executor_queue where run_id = ${id}`;
      await sql`delete from executor_runs where id = ${id}`;
    }
    await sql`delete from executor_queue`;
    const idle = await scrape();
    expect(sampleValue(idle, "stevedore_executor_runs_waiting")).toBe(0);
    expect(sampleValue(idle, "stevedore_executor_oldest_waiting_seconds")).toBe(0);
  });
});

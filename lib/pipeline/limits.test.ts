import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { actorContext } from "@/db/test/factories";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import type { ServiceContext } from "@/lib/services/context";
import { startPipelineHarness, type PipelineHarness } from "./test-support/harness";

/** Inngest's documented limits (inngest.com, "Usage limits"), which the executor records per run. */
const LIMITS = { steps: 1000, stepOutputBytes: 4 * 1024 * 1024, stateBytes: 32 * 1024 * 1024, eventBytes: 3 * 1024 * 1024 };

type Usage = { function_id: string; runs: number; not_completed: number; steps: number; output_bytes: number; state_bytes: number; event_bytes: number };

/**
 * Every run an operation caused (its own function's chain, its pipeline batches), per function:
 * count and peak usage, once all have ended (the operation ends inside its function's last step).
 */
async function usageOf(operationId: string): Promise<Usage[]> {
  await waitFor(
    async () => (await getSql()`select 1 from executor_runs where event->'data'->>'operationId' = ${operationId} and status in ('queued', 'running', 'sleeping', 'waiting') limit 1`).length === 0,
    30_000,
    "the operation's runs to end",
  );
  return getSql()<Usage[]>`
    select function_id, count(*)::int as runs, (count(*) filter (where status <> 'completed'))::int as not_completed,
      max(step_count)::int as steps, max(max_step_output_bytes)::int as output_bytes, max(state_bytes)::bigint::int as state_bytes, max(event_bytes)::int as event_bytes
    from executor_runs where event->'data'->>'operationId' = ${operationId} group by function_id order by function_id`;
}

/** Where the time went, when the operation is too slow. */
const timingsOf = (operationId: string) => getSql()`
  select function_id, count(*)::int as runs, count(*) filter (where status <> 'completed') as open,
    extract(epoch from max(ended_at) - min(created_at))::int as span_s, (avg(extract(epoch from ended_at - created_at)) * 1000)::int as avg_ms
  from executor_runs where event->'data'->>'operationId' = ${operationId} group by function_id`;

function expectWithinLimits(usage: Usage[]) {
  for (const u of usage) {
    expect(u.steps, u.function_id).toBeLessThan(LIMITS.steps);
    expect(u.output_bytes, u.function_id).toBeLessThanOrEqual(LIMITS.stepOutputBytes);
    expect(u.state_bytes, u.function_id).toBeLessThanOrEqual(LIMITS.stateBytes);
    expect(u.event_bytes, u.function_id).toBeLessThanOrEqual(LIMITS.eventBytes);
  }
}

/**
 * 1,000 documents in batches of 5 (200 parse and 200 embed batches), then their removal. A step
 * budget of 12, a 100 ms step time budget and removal batches of 2 make the scan and the removal
 * continue in fresh runs, as a source some hundred times larger would with the defaults. (The
 * ingest bench indexes 10,000 through the console; here the count only has to force the chains.)
 */
describe("a large source within Inngest's limits", () => {
  let h: PipelineHarness;
  let ctx: ServiceContext;
  const FILES = 1_000;

  beforeAll(async () => {
    h = await startPipelineHarness({ STEVEDORE_PIPELINE_BATCH_SIZE: "5", STEVEDORE_RUN_STEP_BUDGET: "12", STEVEDORE_STEP_TIME_BUDGET_MS: "100", STEVEDORE_REMOVE_BATCH_SIZE: "2" });
    ctx = await actorContext("operator");
  });

  afterAll(() => h?.close());

  it("indexes 1,000 documents and removes them again, no run passing a limit", async () => {
    const dir = path.join(h.root, "large");
    // Files beside folders at every level, so the scan's cursor resumes across folder boundaries.
    const made = new Set<string>();
    for (let i = 0; i < FILES; i++) {
      const folder = i < 250 ? dir : path.join(dir, `part-${String(i % 9)}`, i % 2 ? "odd" : "");
      if (!made.has(folder)) made.add(await fs.mkdir(folder, { recursive: true }).then(() => folder));
      await fs.writeFile(path.join(folder, `doc-${i}.md`), `# Document ${i}\n\nA short note, number ${i}, about cargo.`);
    }
    const started = Date.now();
    const { collectionId, operationId } = await h.svc.createCollection({ ctx, input: { name: "large", source: { kind: "directory", name: "large", path: dir } } });
    const indexed = await h.finished(ctx, operationId, 480_000).catch(async (err) => {
      process.stdout.write(`${JSON.stringify(await timingsOf(operationId), null, 1)}\n`);
      throw err;
    });
    const indexMs = Date.now() - started;
    expect(indexed.status).toBe("succeeded");
    expect(indexed.result).toMatchObject({ files: FILES, inserted: FILES, unchanged: 0, duplicate: 0, failed: 0 });

    const [stages] = await getSql()<{ complete: number; other: number; chunks: number }[]>`
      select (count(*) filter (where stage = 'complete'))::int as complete, (count(*) filter (where stage <> 'complete'))::int as other,
        coalesce(sum(chunk_count), 0)::int as chunks from documents where collection_id = ${collectionId}`;
    expect(stages).toEqual({ complete: FILES, other: 0, chunks: indexed.result!.chunks });
    const store = await h.svc.getVectorStore();
    expect(await store.count("large")).toBe(stages!.chunks);

    const indexUsage = await usageOf(operationId);
    expectWithinLimits(indexUsage);
    const byFunction = Object.fromEntries(indexUsage.map((u) => [u.function_id, u]));
    expect(byFunction["stevedore-pipeline-parse"]).toMatchObject({ runs: FILES / 5, not_completed: 0 });
    expect(byFunction["stevedore-pipeline-embed"]).toMatchObject({ runs: FILES / 5, not_completed: 0 });
    // The INDEX went on in fresh runs; each ended (completed) before its successor's budget was needed.
    expect(byFunction["stevedore-index-source"]!.runs).toBeGreaterThan(1);
    expect(byFunction["stevedore-index-source"]).toMatchObject({ not_completed: 0 });
    expect(byFunction["stevedore-index-source"]!.steps).toBeLessThanOrEqual(12);
    // The pipeline's batches are one call each, with no step at all.
    expect(byFunction["stevedore-pipeline-parse"]!.steps).toBe(0);

    const sourceId = (await h.svc.getCollection({ ctx, input: { collectionId } })).sources[0]!.source.id;
    const removal = await h.svc.removeSource({ ctx, input: { collectionId, sourceId, confirmName: "large" } });
    const removedAt = Date.now();
    const removed = await h.finished(ctx, removal.operationId, 120_000);
    const removeMs = Date.now() - removedAt;
    expect(removed).toMatchObject({ status: "succeeded", result: { documentsRemoved: FILES, pointsRemoved: stages!.chunks } });
    expect(await store.count("large")).toBe(0);
    expect((await h.svc.getCollection({ ctx, input: { collectionId } })).stats.documents).toBe(0);
    const removeUsage = await usageOf(removal.operationId);
    expectWithinLimits(removeUsage);
    expect(removeUsage.find((u) => u.function_id === "stevedore-remove-source")).toMatchObject({ not_completed: 0 });
    expect(removeUsage.find((u) => u.function_id === "stevedore-remove-source")!.runs).toBeGreaterThan(1);

    const figures = [...indexUsage, ...removeUsage].map((u) => `${u.function_id}: ${u.runs} runs, max ${u.steps} steps, ${u.output_bytes} B largest output, ${u.state_bytes} B state, ${u.event_bytes} B event`);
    // One line for the report and the note: the measured peaks.
    process.stdout.write(`limits figures (index ${indexMs} ms, removal ${removeMs} ms):\n  ${figures.join("\n  ")}\n`);
  }, 660_000);
});

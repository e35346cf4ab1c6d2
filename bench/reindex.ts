import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { writeCorpus } from "./corpus";
import { round } from "./harness";
import { operationRunUsage, signedInFetch, startBenchConsole } from "./ingest";

const DOCUMENTS = Number(process.env.BENCH_REINDEX_DOCUMENTS ?? 50_000);
const QUERIES_PER_S = 20;

type Call = Awaited<ReturnType<typeof signedInFetch>>;
type Op = { status: string; error: string | null; startedAt: string | null; finishedAt: string | null; createdAt: string; result: Record<string, unknown> | null };
type Step = { name: string; startedAt: string | null; finishedAt: string | null; output: unknown };

async function finished(call: Call, operationId: string): Promise<{ operation: Op; steps: Step[] }> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const { data } = (await (await call(`/api/v1/operations/${operationId}`)).json()) as { data: { operation: Op; steps: Step[] } };
    if (!["queued", "running", "waiting"].includes(data.operation.status)) return data;
  }
}

/** Searches through the REST API at 20 a second until stopped, keeping each answer's time and size. */
function queryLoop(call: Call, collectionId: string) {
  const samples: Array<{ at: number; ms: number; ok: boolean; hits: number }> = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const at = Date.now();
      const res = await call(`/api/v1/collections/${collectionId}/search`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `harbour${i % 40} crane${i % 40} manifest`, limit: 10 }) }).catch(() => null);
      const body = res?.ok ? ((await res.json()) as { data: { hits: unknown[] } }) : null;
      samples.push({ at, ms: Date.now() - at, ok: !!body, hits: body?.data.hits.length ?? 0 });
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 / QUERIES_PER_S - (Date.now() - at))));
    }
  })();
  return { samples, stop: async () => ((running = false), await loop) };
}

/** Seconds per stage (operation_stage_metrics, as the operation page shows them), to tell where the time goes. */
async function stageSeconds(call: Call, operationId: string): Promise<Record<string, number>> {
  const { data } = (await (await call(`/api/v1/operations/${operationId}/figures`)).json()) as { data: { stages: Array<{ stage: string; totalMs: number }> } };
  return Object.fromEntries(data.stages.map((s) => [s.stage, round(s.totalMs / 1000, 2)]));
}

const p95 = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]! : null);
const seconds = (op: Op, from: number) => (Date.parse(op.finishedAt!) - from) / 1000;

/**
 * INDEX of 50,000 generated 2 KB documents with the default chunking (1,200/150: over 100,000
 * points), then REINDEX of the same documents to 1,000/100, through the real console
 * (`npm start`), with searches at 20/s through the REST API for the whole reindex. The baseline is
 * the INDEX in the same run.
 * switch_p95_ms is the p95 search latency from 1 s before the switch checkpoint to 1 s after it.
 */
export async function benchReindex(): Promise<Record<string, unknown>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-reindex-"));
  await fs.chmod(dir, 0o755);
  const corpus = path.join(dir, "corpus");
  await writeCorpus(corpus, DOCUMENTS, 2000, { topics: 50 });
  const server = await startBenchConsole(dir, corpus);
  try {
    const call = await signedInFetch(server.base);
    const indexStarted = Date.now();
    const created = await call("/api/v1/collections", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "bench", source: { kind: "directory", name: "corpus", path: corpus } }) });
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
    const { data } = (await created.json()) as { data: { operationId: string; collectionId: string } };
    const index = await finished(call, data.operationId);
    if (index.operation.status !== "succeeded") throw new Error(`INDEX ended ${index.operation.status}: ${index.operation.error}`);
    const indexS = seconds(index.operation, indexStarted);
    const points = Number(index.operation.result?.points ?? 0);
    const indexPeak = server.memory.peak;
    server.memory.peak = server.memory.rss;

    const loop = queryLoop(call, data.collectionId);
    await new Promise((r) => setTimeout(r, 2000)); // searches before the reindex starts, too
    const reindexStarted = Date.now();
    const started = await call(`/api/v1/collections/${data.collectionId}/reindex`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ settings: { chunkSize: 1000, chunkOverlap: 100 }, confirm: "bench" }) });
    if (started.status !== 202) throw new Error(`reindex refused: ${started.status} ${await started.text()}`);
    const { data: reindexOp } = (await started.json()) as { data: { operationId: string } };
    const reindex = await finished(call, reindexOp.operationId);
    await new Promise((r) => setTimeout(r, 2000));
    await loop.stop();
    if (reindex.operation.status !== "succeeded") throw new Error(`REINDEX ended ${reindex.operation.status}: ${reindex.operation.error}`);
    const reindexS = seconds(reindex.operation, reindexStarted);
    const switchStep = reindex.steps.find((s) => s.name === "switch")!;
    const window = { from: Date.parse(switchStep.startedAt!) - 1000, to: Date.parse(switchStep.finishedAt!) + 1000 };
    const inSwitch = loop.samples.filter((q) => q.at >= window.from && q.at <= window.to);
    const usage = await operationRunUsage(call, reindexOp.operationId);
    const validation = reindex.operation.result?.validation as { overlap: number; recallNew: number; recallOld: number } | undefined;
    return {
      bench: "reindex",
      points,
      documents: DOCUMENTS,
      reindex_s: round(reindexS),
      index_s: round(indexS),
      ratio: round(reindexS / indexS, 2),
      reindex_docs_per_s: round(DOCUMENTS / reindexS),
      switch_p95_ms: p95(inSwitch.map((q) => q.ms)),
      switch_queries: inSwitch.length,
      alias_switch_ms: (switchStep.output as { aliasMs?: number } | null)?.aliasMs ?? null,
      queries: loop.samples.length,
      failed_queries: loop.samples.filter((q) => !q.ok).length,
      empty_results: loop.samples.filter((q) => q.ok && q.hits === 0).length,
      query_p95_ms: p95(loop.samples.map((q) => q.ms)),
      checkpoints_s: Object.fromEntries(reindex.steps.filter((s) => s.startedAt && s.finishedAt).map((s) => [s.name, round((Date.parse(s.finishedAt!) - Date.parse(s.startedAt!)) / 1000, 2)])),
      index_stages_s: await stageSeconds(call, data.operationId),
      reindex_stages_s: await stageSeconds(call, reindexOp.operationId),
      new_points: Number(reindex.operation.result?.points ?? 0),
      validation: validation ? { overlap: validation.overlap, recall_new: validation.recallNew, recall_old: validation.recallOld } : null,
      max_steps_per_run: usage.steps,
      max_step_output_bytes: usage.stepOutputBytes,
      peak_rss_mb: Math.round(server.memory.peak),
      index_peak_rss_mb: Math.round(indexPeak),
      targets: { points: 100_000, ratio: 1.2, reindex_docs_per_s: 1000, switch_p95_ms: 50, failed_queries: 0, empty_results: 0, peak_rss_mb: 1024 },
    };
  } finally {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

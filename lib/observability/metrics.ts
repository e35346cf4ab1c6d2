import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/**
 * The process's Prometheus registry and the instruments the code records into (`stevedore_*`).
 * Cached on globalThis: Next may load this module once per route bundle, and two registries would
 * each see half of what happens. Gauges read from PostgreSQL at scrape time live in metrics-db.ts.
 */

export const PIPELINE_STAGES = ["scan", "parse", "chunk", "embed", "store"] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** Where a failed attempt failed: an external service, or (otherwise) whether a retry may help. */
export const ERROR_CLASSES = ["transient", "permanent", "embedder", "vector_store"] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Operations take seconds (a self-test) to hours (a large reindex). */
const OPERATION_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];
/** Stage, embedding and vector store calls: a millisecond (a small upsert) to a minute (a slow provider). */
const CALL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
/**
 * Default metrics that are gauges named like counters, which promtool refuses; each is the sum of
 * its by-type sibling that stays (`nodejs_active_handles{type}` …).
 */
const MISNAMED_DEFAULTS = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
  const registers = [registry];
  return {
    registry,
    /** Set once the PostgreSQL gauges are registered (on the first scrape). */
    databaseGauges: false,
    operations: new Counter({ name: "stevedore_operations_total", help: "Operations finished, by type and final status.", labelNames: ["type", "status"] as const, registers }),
    operationDuration: new Histogram({ name: "stevedore_operation_duration_seconds", help: "Time from an operation's start (or its request, if it never started) to its end.", labelNames: ["type", "status"] as const, buckets: OPERATION_BUCKETS, registers }),
    errors: new Counter({ name: "stevedore_errors_total", help: "Failed step or run attempts, by class: embedder or vector_store when one of them failed, else transient (retried) or permanent.", labelNames: ["class"] as const, registers }),
    retries: new Counter({ name: "stevedore_step_retries_total", help: "Step or run attempts that failed and were retried, by function.", labelNames: ["function"] as const, registers }),
    stage: new Histogram({ name: "stevedore_pipeline_stage_seconds", help: "Latency of one pipeline stage call (a scan stretch, a parse group, chunking, an embedding batch, an upsert).", labelNames: ["stage"] as const, buckets: CALL_BUCKETS, registers }),
    embedCall: new Histogram({ name: "stevedore_embedding_call_seconds", help: "Latency of embed() calls, retries and rate-limit waits included.", labelNames: ["model", "outcome"] as const, buckets: CALL_BUCKETS, registers }),
    embedBatch: new Histogram({ name: "stevedore_embedding_batch_size", help: "Texts per embed() call.", labelNames: ["model"] as const, buckets: BATCH_BUCKETS, registers }),
    storeCall: new Histogram({ name: "stevedore_vector_store_call_seconds", help: "Latency of vector store calls, by method.", labelNames: ["backend", "method", "outcome"] as const, buckets: CALL_BUCKETS, registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const holder = (globalThis as { __stevedoreMetrics?: { metrics?: Metrics } }).__stevedoreMetrics ??= {};

/** Created on first use, so importing a module that records does not start default metrics by itself. */
export function getMetrics(): Metrics {
  holder.metrics ??= createMetrics();
  return holder.metrics;
}

const secondsSince = (started: number) => (performance.now() - started) / 1000;

/** One line where an operation ends, whichever way: its type, final status and duration. */
export function recordOperationEnd(op: { type: string; status: string; startedAt?: Date | null; createdAt: Date; finishedAt?: Date | null }): void {
  const m = getMetrics();
  const labels = { type: op.type, status: op.status };
  m.operations.inc(labels);
  const seconds = ((op.finishedAt ?? new Date()).getTime() - (op.startedAt ?? op.createdAt).getTime()) / 1000;
  m.operationDuration.observe(labels, Math.max(0, seconds));
}

/** A failed attempt of a step or of a whole run (functions without steps retry as a whole). */
export function recordAttemptFailure(fn: string, errorClass: ErrorClass, retried: boolean): void {
  const m = getMetrics();
  m.errors.inc({ class: errorClass });
  if (retried) m.retries.inc({ function: fn });
}

export function observeStage(stage: PipelineStage, seconds: number): void {
  getMetrics().stage.observe({ stage }, seconds);
}

/** Runs `work` and records its latency under `stage`, failed or not. */
export async function timeStage<T>(stage: PipelineStage, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    observeStage(stage, secondsSince(started));
  }
}

export function timeStageSync<T>(stage: PipelineStage, work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    observeStage(stage, secondsSince(started));
  }
}

export function observeEmbedCall(model: string, texts: number, seconds: number, ok: boolean): void {
  const m = getMetrics();
  m.embedCall.observe({ model, outcome: ok ? "ok" : "error" }, seconds);
  m.embedBatch.observe({ model }, texts);
}

export function observeStoreCall(backend: string, method: string, seconds: number, ok: boolean): void {
  getMetrics().storeCall.observe({ backend, method, outcome: ok ? "ok" : "error" }, seconds);
}

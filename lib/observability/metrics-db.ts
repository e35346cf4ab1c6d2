import { Counter, Gauge } from "prom-client";
import { getSql } from "@/db/client";
import { embedderStates, embedderStats } from "@/lib/embeddings";
import { getLogger } from "./logger";
import { getMetrics, type Metrics } from "./metrics";

/**
 * Gauges computed when Prometheus scrapes, from PostgreSQL (one query each, never one per
 * collection, none that counts documents: triggers keep collection_document_counts) and from this
 * process's embedders. The executor's figures come from its tables: the
 * local executor runs on a thread of the launcher, whose registry this process cannot see.
 */

type Row = { label: string; value: number };
type Labelled = "collection" | "model" | "state";

/** Replaces the gauge's samples with `rows`; a failed query leaves it empty (and logs), never fails the scrape. */
async function fill<L extends Labelled>(gauge: Gauge<L>, label: L, load: () => Promise<Row[]>): Promise<void> {
  let rows: Row[] = [];
  try {
    rows = await load();
  } catch (err) {
    getLogger().warn({ err, metric: (gauge as unknown as { name: string }).name }, "metrics: a gauge could not be read; left empty in this scrape");
  }
  gauge.reset();
  for (const r of rows) gauge.set({ [label]: r.label } as Partial<Record<L, string>>, Number(r.value));
}

/** A gauge without labels, from one query returning `value` (0 when it fails). */
async function fillOne(gauge: Gauge, load: () => Promise<number>): Promise<void> {
  let value = 0;
  try {
    value = await load();
  } catch (err) {
    getLogger().warn({ err, metric: (gauge as unknown as { name: string }).name }, "metrics: a gauge could not be read; 0 in this scrape");
  }
  gauge.set(Number(value));
}

const BREAKER_STATES = ["closed", "half_open", "open"] as const;

function registerDatabaseGauges(m: Metrics): void {
  const registers = [m.registry];
  const sql = () => getSql();
  new Gauge({
    name: "stevedore_collection_points",
    help: "Points in each collection's live version, as counted at the end of its last operation.",
    labelNames: ["collection"] as const,
    registers,
    async collect() {
      await fill(this, "collection", () => sql()<Row[]>`
        select c.name as label, coalesce(v.point_count, 0)::float8 as value
        from collections c left join collection_versions v on v.collection_id = c.id and v.version = c.active_version`);
    },
  });
  new Gauge({
    name: "stevedore_collection_documents",
    help: "Documents of each collection, in any stage.",
    labelNames: ["collection"] as const,
    registers,
    async collect() {
      await fill(this, "collection", () => sql()<Row[]>`
        select c.name as label, coalesce(n.documents, 0)::float8 as value
        from collections c left join collection_document_counts n on n.collection_id = c.id`);
    },
  });
  new Gauge({
    name: "stevedore_dead_letters",
    help: "Documents parked as dead letters, per collection.",
    labelNames: ["collection"] as const,
    registers,
    async collect() {
      await fill(this, "collection", () => sql()<Row[]>`
        select c.name as label, coalesce(n.dead, 0)::float8 as value
        from collections c left join collection_document_counts n on n.collection_id = c.id`);
    },
  });
  new Gauge({
    name: "stevedore_backup_age_seconds",
    help: "Age of each collection's latest complete backup (collections never backed up have no sample).",
    labelNames: ["collection"] as const,
    registers,
    async collect() {
      await fill(this, "collection", () => sql()<Row[]>`
        select c.name as label, extract(epoch from now() - max(b.finished_at))::float8 as value
        from backups b join collections c on c.id = b.collection_id
        where b.status = 'complete' and b.finished_at is not null group by c.name`);
    },
  });
  new Gauge({
    name: "stevedore_executor_runs_waiting",
    help: "Runs of the local executor with work due that no executor has claimed yet (0 with an external Inngest server).",
    registers,
    async collect() {
      await fillOne(this, async () => (await sql()<[{ n: number }]>`select count(distinct run_id)::float8 as n from executor_queue where locked_by is null and run_at <= now()`)[0].n);
    },
  });
  new Gauge({
    name: "stevedore_executor_oldest_waiting_seconds",
    help: "How long the oldest due, unclaimed work of the local executor has waited (0 when none waits).",
    registers,
    async collect() {
      await fillOne(this, async () => (await sql()<[{ s: number }]>`select coalesce(extract(epoch from now() - min(run_at)), 0)::float8 as s from executor_queue where locked_by is null and run_at <= now()`)[0].s);
    },
  });
  new Gauge({
    name: "stevedore_embedder_breaker_state",
    help: "Circuit breaker of each embedder this process has used: 1 for its current state (closed, half_open, open), 0 for the others.",
    labelNames: ["model", "state"] as const,
    registers,
    collect() {
      this.reset();
      for (const s of embedderStates()) for (const state of BREAKER_STATES) this.set({ model: s.model, state }, s.breaker === state ? 1 : 0);
    },
  });
  new Counter({
    name: "stevedore_embedding_tokens_total",
    help: "Tokens sent to each embedder by this process (the built-in embedder's own count; a provider's usage, else estimated).",
    labelNames: ["model"] as const,
    registers,
    collect() {
      this.reset();
      for (const { model, stats } of embedderStats()) this.inc({ model }, stats.tokens);
    },
  });
  new Counter({
    name: "stevedore_embedding_request_retries_total",
    help: "HTTP requests to an embedding service that were retried (429, 5xx, timeouts).",
    labelNames: ["model"] as const,
    registers,
    collect() {
      this.reset();
      for (const { model, stats } of embedderStats()) this.inc({ model }, stats.retries);
    },
  });
}

/** The registry with its scrape-time gauges (registered once per process, on the first scrape). */
export function metricsRegistry(): Metrics["registry"] {
  const m = getMetrics();
  if (!m.databaseGauges) {
    m.databaseGauges = true;
    registerDatabaseGauges(m);
  }
  return m.registry;
}

/** The exposition in Prometheus text format, and its content type. */
export async function scrapeMetrics(): Promise<{ body: string; contentType: string }> {
  const registry = metricsRegistry();
  return { body: await registry.metrics(), contentType: registry.contentType };
}

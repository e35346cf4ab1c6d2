import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";

/**
 * Seven days of realistic history for the dashboards: three collections growing, operations of every
 * kind (some failing, one running now), their figures, health samples every 5 minutes with a one-hour
 * dip (vector store and embedder degraded two days ago), backups of two collections and dead letters.
 * Takes any postgres.js client (the vitest one or the e2e console's); `remove()` deletes what it wrote.
 */
export type SeededHistory = {
  collections: { id: string; name: string }[];
  operationIds: string[];
  failedIndex: { id: string; createdAt: Date };
  dipAt: Date;
  remove: () => Promise<void>;
};

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A small deterministic generator, so every seeded history looks the same. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TYPES = [
  { type: "INDEX", weight: 4, seconds: [20, 240], ingest: true },
  { type: "APPEND", weight: 3, seconds: [5, 60], ingest: true },
  { type: "REINDEX", weight: 1, seconds: [60, 600], ingest: true },
  { type: "BACKUP", weight: 2, seconds: [10, 90], ingest: false },
  { type: "SELF_TEST", weight: 1, seconds: [2, 4], ingest: false },
] as const;

export async function seedDashboardHistory(sql: Sql, { now = new Date(), prefix = `seed-${randomUUID().slice(0, 6)}` } = {}): Promise<SeededHistory> {
  const rnd = random(42);
  const end = now.getTime();
  const start = end - 7 * DAY;
  const names = ["handbook", "support-tickets", "product-docs"].map((n) => `${prefix}-${n}`);
  const finalPoints = [48_000, 126_000, 9_500];

  const collections = await sql<{ id: string; name: string }[]>`
    insert into collections ${sql(names.map((name) => ({ name, embedding_model: "builtin:hash-256", dimension: 256, chunk_size: 800, chunk_overlap: 100, vector_backend: "lancedb", active_version: 1, status: "ready" })))}
    returning id, name`;
  await sql`
    insert into collection_versions ${sql(collections.map((c, i) => ({ collection_id: c.id, version: 1, physical_name: `${c.name}__v1`, status: "active", point_count: finalPoints[i]!, embedding_model: "builtin:hash-256", dimension: 256, distance: "cosine", chunk_size: 800, chunk_overlap: 100 })))}`;

  // Operations: about one every 40 minutes, a tenth failing, a few cancelled; one INDEX failed an hour ago, one running now.
  const weights = TYPES.flatMap((t) => Array.from({ length: t.weight }, () => t));
  const ops: Record<string, unknown>[] = [];
  const metrics: Record<string, unknown>[] = [];
  for (let t = start + 10 * MIN; t < end - 2 * HOUR; t += 25 * MIN + rnd() * 30 * MIN) {
    const kind = weights[Math.floor(rnd() * weights.length)]!;
    const roll = rnd();
    const status = roll < 0.1 ? "failed" : roll < 0.14 ? "cancelled" : "succeeded";
    const seconds = kind.seconds[0] + rnd() * (kind.seconds[1] - kind.seconds[0]);
    const id = randomUUID();
    const collectionId = collections[Math.floor(rnd() * collections.length)]!.id;
    const documents = kind.ingest ? Math.round(20 + rnd() * 400) : 0;
    ops.push({ id, type: kind.type, collection_id: kind.type === "SELF_TEST" ? null : collectionId, status, correlation_id: randomUUID(), created_at: new Date(t), started_at: new Date(t + 2000), finished_at: new Date(t + 2000 + seconds * 1000), error: status === "failed" ? "The embedding service refused the batch (503)." : null, progress: { done: documents, total: documents, unit: "documents" } });
    metrics.push({ operation_id: id, duration_ms: Math.round(seconds * 1000), documents, chunks: documents * Math.round(3 + rnd() * 6), vectors: 0, bytes: documents * 4096 });
  }
  const failedIndex = { id: randomUUID(), createdAt: new Date(end - 70 * MIN) };
  ops.push({ id: failedIndex.id, type: "INDEX", collection_id: collections[0]!.id, status: "failed", correlation_id: randomUUID(), created_at: failedIndex.createdAt, started_at: new Date(end - 69 * MIN), finished_at: new Date(end - 60 * MIN), error: "Every document was refused.", progress: { done: 40, total: 200, unit: "documents" } });
  metrics.push({ operation_id: failedIndex.id, duration_ms: 9 * MIN, documents: 40, chunks: 180, vectors: 0, bytes: 163_840 });
  const runningId = randomUUID();
  ops.push({ id: runningId, type: "APPEND", collection_id: collections[1]!.id, status: "running", correlation_id: randomUUID(), created_at: new Date(end - 3 * MIN), started_at: new Date(end - 3 * MIN), finished_at: null, error: null, progress: { done: 120, total: 400, unit: "documents", ratePerS: 2.5, etaS: 112 } });
  for (let i = 0; i < ops.length; i += 500) await sql`insert into operations ${sql(ops.slice(i, i + 500) as never[])}`;
  for (let i = 0; i < metrics.length; i += 500) await sql`insert into operation_metrics ${sql(metrics.slice(i, i + 500) as never[])}`;

  // Health samples every 5 minutes; the collections grow linearly; a one-hour dip two days ago.
  const dipAt = new Date(end - 2 * DAY);
  const samples: Record<string, unknown>[] = [];
  for (let t = start; t <= end - 5 * MIN; t += 5 * MIN) {
    const dip = t >= dipAt.getTime() && t < dipAt.getTime() + HOUR;
    const share = (t - start) / (end - start);
    const degraded = { status: "degraded", message: "unreachable: searches fail and operations wait until it answers" };
    samples.push({
      at: new Date(t),
      status: dip ? "degraded" : "healthy",
      components: {
        postgresql: { status: "healthy" },
        "vector store (lancedb)": dip ? degraded : { status: "healthy" },
        "embedder builtin:hash-256": dip ? { status: "degraded", message: "circuit breaker open" } : { status: "healthy" },
        "executor queue": { status: "healthy" },
        "disk (data)": { status: "healthy" },
        memory: { status: "healthy" },
      },
      rss_bytes: Math.round((380 + 60 * Math.sin(t / (6 * HOUR)) + rnd() * 20) * 1024 ** 2),
      heap_used_bytes: Math.round((120 + 30 * Math.sin(t / (3 * HOUR)) + rnd() * 10) * 1024 ** 2),
      cpu_percent: Math.round(rnd() * 400) / 10,
      disk_free: { data: Math.round((80 - 6 * share) * 1024 ** 3), backups: Math.round((80 - 6 * share) * 1024 ** 3), lancedb: Math.round((80 - 6 * share) * 1024 ** 3) },
      collections: collections.map((c, i) => ({ id: c.id, name: c.name, points: Math.round(finalPoints[i]! * (0.3 + 0.7 * share)), documents: Math.round((finalPoints[i]! / 6) * (0.3 + 0.7 * share)), deadLetters: i === 1 ? 5 : 0 })),
      running_operations: Math.round(rnd() * 2),
      waiting_operations: 0,
      dead_letters: 5,
    });
  }
  const sampleIds: number[] = [];
  for (let i = 0; i < samples.length; i += 500) sampleIds.push(...(await sql<{ id: number }[]>`insert into health_samples ${sql(samples.slice(i, i + 500) as never[])} returning id`).map((r) => Number(r.id)));

  const backups = await sql<{ id: string }[]>`
    insert into backups ${sql([
      { collection_id: collections[0]!.id, collection_name: collections[0]!.name, kind: "full", status: "complete", path: `/nonexistent/${collections[0]!.name}.jsonl.gz`, created_at: new Date(end - 3 * HOUR - 5 * MIN), finished_at: new Date(end - 3 * HOUR) },
      { collection_id: collections[1]!.id, collection_name: collections[1]!.name, kind: "full", status: "complete", path: `/nonexistent/${collections[1]!.name}.jsonl.gz`, created_at: new Date(end - 3 * DAY - 5 * MIN), finished_at: new Date(end - 3 * DAY) },
    ] as never[])}
    returning id`;
  const [source] = await sql<{ id: string }[]>`insert into sources ${sql({ collection_id: collections[1]!.id, name: "tickets", kind: "upload", path: "/nonexistent/tickets" } as never)} returning id`;
  await sql`insert into documents ${sql(Array.from({ length: 5 }, (_, i) => ({ collection_id: collections[1]!.id, source_id: source!.id, path: `ticket-${i}.pdf`, stage: "dead", error_stage: "parse", error_class: "corrupt", error_message: "The file is not a readable PDF." })) as never[])}`;

  const operationIds = ops.map((o) => o.id as string);
  return {
    collections,
    operationIds,
    failedIndex,
    dipAt,
    remove: async () => {
      await sql`delete from backups where id = any(${backups.map((b) => b.id)}::uuid[])`;
      await sql`delete from operations where id = any(${operationIds}::uuid[])`;
      await sql`delete from health_samples where id = any(${sampleIds}::bigint[])`;
      await sql`delete from collections where id = any(${collections.map((c) => c.id)}::uuid[])`;
    },
  };
}

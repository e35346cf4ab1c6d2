import { getDb, getSql } from "@/db/client";
import { healthSamples, type CollectionSample, type NewHealthSample } from "@/db/schema/health-samples";
import { embedderStates } from "@/lib/embeddings";
import { env } from "@/lib/env";
import { checkReadiness } from "./check-ready";
import { diskFreeByDir, memoryFigures } from "./system-checks";

/** The sampler writes telemetry, not an operator's change: no audit entry, and no role (it runs as the system). */

/** At most this many collections per sample (the largest), so a sample stays small however many there are. */
const MAX_COLLECTIONS = 200;
/** At most this many embedders' breakers per sample (there is one per configured model, a handful). */
const MAX_BREAKERS = 50;
const PRUNE_BATCH = 5_000;
const PRUNE_MAX_BATCHES = 20;

type CpuMark = { usage: NodeJS.CpuUsage; at: number };
// On globalThis: dev-mode reloads and route bundles share the previous mark.
const cpu = ((globalThis as { __stevedoreHealthCpu?: { last?: CpuMark } }).__stevedoreHealthCpu ??= {});

/** This process's CPU since its previous sample, in % of one core; null on the first. */
function cpuPercentSinceLast(): number | null {
  const now: CpuMark = { usage: process.cpuUsage(), at: performance.now() };
  const last = cpu.last;
  cpu.last = now;
  if (!last || now.at <= last.at) return null;
  const usedMs = (now.usage.user - last.usage.user + now.usage.system - last.usage.system) / 1000;
  return Math.round((usedMs / (now.at - last.at)) * 1000) / 10;
}

type AppFigures = { collections: CollectionSample[]; running: number; waiting: number; deadLetters: number; runsWaiting: number };

async function appFigures(): Promise<AppFigures> {
  const sql = getSql();
  const [collections, [ops], [runs]] = await Promise.all([
    sql<{ id: string; name: string; points: number; documents: number; dead: number }[]>`
      select c.id, c.name, coalesce(v.point_count, 0)::float8 as points, coalesce(d.n, 0)::float8 as documents, coalesce(d.dead, 0)::float8 as dead
      from collections c
      left join collection_versions v on v.collection_id = c.id and v.version = c.active_version
      left join (select collection_id, count(*) as n, count(*) filter (where stage = 'dead') as dead from documents group by collection_id) d on d.collection_id = c.id
      order by points desc, c.name limit ${MAX_COLLECTIONS}`,
    sql<[{ running: number; waiting: number }]>`
      select count(*) filter (where status = 'running')::int as running, count(*) filter (where status in ('queued', 'waiting'))::int as waiting
      from operations where status in ('queued', 'running', 'waiting')`,
    // What the runs_waiting alert source reads live, kept so a rule on it can be previewed.
    sql<[{ n: number }]>`select count(distinct run_id)::int as n from executor_queue where locked_by is null and run_at <= now()`,
  ]);
  return {
    collections: collections.map((c) => ({ id: c.id, name: c.name, points: c.points, documents: c.documents, deadLetters: c.dead })),
    running: ops.running,
    waiting: ops.waiting,
    deadLetters: collections.reduce((n, c) => n + c.dead, 0),
    runsWaiting: runs.n,
  };
}

/** Takes one sample of the system and the app now, and stores it. */
export async function recordHealthSample(at: Date = new Date()): Promise<{ id: number; status: string }> {
  const [readiness, diskFree, app] = await Promise.all([checkReadiness(), diskFreeByDir(), appFigures()]);
  const memory = memoryFigures();
  const row: NewHealthSample = {
    at,
    status: readiness.status,
    components: Object.fromEntries(readiness.checks.map((c) => [c.name, c.status === "healthy" ? { status: c.status } : { status: c.status, ...(c.message ? { message: c.message } : {}) }])),
    rssBytes: memory.rssBytes,
    heapUsedBytes: memory.heapUsedBytes,
    cpuPercent: cpuPercentSinceLast(),
    diskFree,
    collections: app.collections,
    runningOperations: app.running,
    waitingOperations: app.waiting,
    deadLetters: app.deadLetters,
    runsWaiting: app.runsWaiting,
    breakers: embedderStates()
      .slice(0, MAX_BREAKERS)
      .map((s) => ({ model: s.model, open: s.breaker === "open" })),
  };
  const [inserted] = await getDb().insert(healthSamples).values(row).returning({ id: healthSamples.id, status: healthSamples.status });
  return inserted!;
}

/** Deletes samples older than STEVEDORE_HEALTH_RETENTION_DAYS, a bounded batch at a time; what is left goes next minute. */
export async function pruneHealthSamples(now: Date = new Date()): Promise<{ deleted: number }> {
  const cutoff = new Date(now.getTime() - env().STEVEDORE_HEALTH_RETENTION_DAYS * 86_400_000);
  const sql = getSql();
  let deleted = 0;
  for (let i = 0; i < PRUNE_MAX_BATCHES; i++) {
    const result = await sql`delete from health_samples where id in (select id from health_samples where at < ${cutoff.toISOString()}::timestamptz order by at limit ${PRUNE_BATCH})`;
    deleted += result.count;
    if (result.count < PRUNE_BATCH) break;
  }
  return { deleted };
}

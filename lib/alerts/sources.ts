import { getSql } from "@/db/client";
import { embedderStates } from "@/lib/embeddings";
import { SUCCEEDED_WITH_FAILURES } from "@/lib/operation-status";
import { checkReadiness } from "@/lib/services/health/check-ready";

/** One labelled value of a source at evaluation time. */
export type Series = { labels: Record<string, string>; value: number };

type SourceSpec = { kind: "metric" | "event"; help: string; labels: readonly string[]; read: () => Promise<Series[]> };

type Row = { collection: string; value: number };
const byCollection = (rows: Row[]): Series[] => rows.map((r) => ({ labels: { collection: r.collection }, value: Number(r.value) }));

/** The latest finished operation of each (collection, type); `failed` / succeeded-with-failures hold until a later one of that type goes well. */
async function latestOperations(): Promise<{ collection: string; type: string; status: string; outcome: string | null }[]> {
  return getSql()`
    select distinct on (o.collection_id, o.type) c.name as collection, o.type, o.status, o.result->>'outcome' as outcome
    from operations o join collections c on c.id = o.collection_id
    where o.status in ('succeeded', 'failed')
    order by o.collection_id, o.type, o.finished_at desc nulls last, o.created_at desc`;
}

/** The latest finished backup of each collection. */
async function latestBackups(): Promise<{ collection: string; status: string; points: number | null; verified: boolean | null }[]> {
  return getSql()`
    select distinct on (b.collection_id) c.name as collection, b.status, b.point_count::float8 as points, b.verified_ok as verified
    from backups b join collections c on c.id = b.collection_id
    where b.status in ('complete', 'failed')
    order by b.collection_id, b.created_at desc`;
}

/**
 * The fixed list of what a rule may watch. Metric sources give a value per series; event sources
 * give 1 for each thing in that state now (0 or no series otherwise), so an event rule is "> 0".
 */
export const SOURCES = {
  dead_letters: {
    kind: "metric",
    help: "Documents parked as dead letters, per collection.",
    labels: ["collection"],
    read: async () =>
      byCollection(await getSql()<Row[]>`
        select c.name as collection, coalesce(d.n, 0)::float8 as value
        from collections c left join (select collection_id, count(*) as n from documents where stage = 'dead' group by collection_id) d on d.collection_id = c.id`),
  },
  operations_failed_15m: {
    kind: "metric",
    help: "Operations that failed in the last 15 minutes, per collection.",
    labels: ["collection"],
    read: async () =>
      byCollection(await getSql()<Row[]>`
        select c.name as collection, count(o.id)::float8 as value
        from collections c left join operations o on o.collection_id = c.id and o.status = 'failed' and o.finished_at > now() - interval '15 minutes'
        group by c.name`),
  },
  backup_age_hours: {
    kind: "metric",
    help: "Hours since each collection's latest complete backup (collections never backed up have no series).",
    labels: ["collection"],
    read: async () =>
      byCollection(await getSql()<Row[]>`
        select c.name as collection, (extract(epoch from now() - max(b.finished_at)) / 3600)::float8 as value
        from backups b join collections c on c.id = b.collection_id
        where b.status = 'complete' and b.finished_at is not null group by c.name`),
  },
  runs_waiting: {
    kind: "metric",
    help: "Runs of the local executor with work due that no executor has claimed.",
    labels: [],
    read: async () => {
      const [row] = await getSql()<[{ n: number }]>`select count(distinct run_id)::float8 as n from executor_queue where locked_by is null and run_at <= now()`;
      return [{ labels: {}, value: Number(row.n) }];
    },
  },
  breaker_open: {
    kind: "metric",
    help: "1 for each embedder whose circuit breaker is open, 0 otherwise.",
    labels: ["model"],
    read: async () => embedderStates().map((s) => ({ labels: { model: s.model }, value: s.breaker === "open" ? 1 : 0 })),
  },
  health_unhealthy: {
    kind: "metric",
    help: "1 while readiness is unhealthy (a dependency down), else 0.",
    labels: [],
    read: async () => [{ labels: {}, value: (await checkReadiness()).status === "unhealthy" ? 1 : 0 }],
  },
  operation_failed: {
    kind: "event",
    help: "The latest operation of a type on a collection failed (until one of that type succeeds).",
    labels: ["collection", "type"],
    read: async () => (await latestOperations()).filter((o) => o.status === "failed").map((o) => ({ labels: { collection: o.collection, type: o.type }, value: 1 })),
  },
  operation_succeeded_with_failures: {
    kind: "event",
    help: "The latest operation of a type on a collection succeeded but left dead letters.",
    labels: ["collection", "type"],
    read: async () =>
      (await latestOperations()).filter((o) => o.status === "succeeded" && o.outcome === SUCCEEDED_WITH_FAILURES).map((o) => ({ labels: { collection: o.collection, type: o.type }, value: 1 })),
  },
  reindex_awaiting_approval: {
    kind: "event",
    help: "A REINDEX waits for an operator's approval.",
    labels: ["collection"],
    read: async () =>
      byCollection(await getSql()<Row[]>`
        select c.name as collection, 1::float8 as value from operations o join collections c on c.id = o.collection_id
        where o.type = 'REINDEX' and o.status = 'waiting' and exists (select 1 from operation_steps s where s.operation_id = o.id and s.name = 'approval' and s.status = 'running')
        group by c.name`),
  },
  backup_failed: {
    kind: "event",
    help: "A collection's latest backup failed.",
    labels: ["collection"],
    read: async () => (await latestBackups()).filter((b) => b.status === "failed").map((b) => ({ labels: { collection: b.collection }, value: 1 })),
  },
  backup_empty: {
    kind: "event",
    help: "A collection's latest backup completed with no points.",
    labels: ["collection"],
    read: async () => (await latestBackups()).filter((b) => b.status === "complete" && Number(b.points ?? 0) === 0).map((b) => ({ labels: { collection: b.collection }, value: 1 })),
  },
  backup_never_verified: {
    kind: "event",
    help: "A collection's latest complete backup has not been verified (or failed its verification).",
    labels: ["collection"],
    read: async () => (await latestBackups()).filter((b) => b.status === "complete" && b.verified !== true).map((b) => ({ labels: { collection: b.collection }, value: 1 })),
  },
} satisfies Record<string, SourceSpec>;

export type SourceName = keyof typeof SOURCES;
export const SOURCE_NAMES = Object.keys(SOURCES) as [SourceName, ...SourceName[]];
export const sourceKind = (name: SourceName) => SOURCES[name].kind;

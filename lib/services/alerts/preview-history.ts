import { getSql } from "@/db/client";
import type { HistoricPoint } from "@/lib/alerts/preview";
import { approvalPoints, BACKUP_HOLDS, backupAgePoints, backupStatePoints, operationPoints, replayTimes, type ApprovalWait, type BackupRecord, type OperationFinish } from "@/lib/alerts/preview-history";
import type { SourceName } from "@/lib/alerts/sources";
import { SUCCEEDED_WITH_FAILURES } from "@/lib/operation-status";

/** Records read at most per preview: a day of a busy console, bounded whatever it holds. */
const MAX_RECORDS = 50_000;

/** Operations finished in the window, plus the latest of each (collection, type) before it: the state the window starts from. */
async function operationFinishes(since: Date, now: Date): Promise<OperationFinish[]> {
  const rows = await getSql()<{ collection: string; type: string; status: string; outcome: string | null; at: Date }[]>`
    (select c.name as collection, o.type, o.status, o.result->>'outcome' as outcome, o.finished_at as at
     from operations o join collections c on c.id = o.collection_id
     where o.status in ('succeeded', 'failed') and o.finished_at > ${since.toISOString()}::timestamptz and o.finished_at <= ${now.toISOString()}::timestamptz
     order by o.finished_at desc limit ${MAX_RECORDS})
    union all
    (select distinct on (o.collection_id, o.type) c.name, o.type, o.status, o.result->>'outcome', o.finished_at
     from operations o join collections c on c.id = o.collection_id
     where o.status in ('succeeded', 'failed') and o.finished_at <= ${since.toISOString()}::timestamptz
     order by o.collection_id, o.type, o.finished_at desc)`;
  return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}

/** Backups finished in the window, plus, per collection, the latest finished and the latest complete one before it. */
async function backupRecords(since: Date, now: Date): Promise<BackupRecord[]> {
  const rows = await getSql()<{ collection: string; status: string; points: number | null; created_at: Date; finished_at: Date; verified_at: Date | null; verified_ok: boolean | null }[]>`
    with finished as (
      select b.collection_id, c.name as collection, b.status, b.point_count::float8 as points, b.created_at, coalesce(b.finished_at, b.created_at) as finished_at, b.verified_at, b.verified_ok
      from backups b join collections c on c.id = b.collection_id where b.status in ('complete', 'failed'))
    (select * from finished where finished_at > ${since.toISOString()}::timestamptz and finished_at <= ${now.toISOString()}::timestamptz order by finished_at desc limit ${MAX_RECORDS})
    union all
    (select distinct on (collection_id) * from finished where finished_at <= ${since.toISOString()}::timestamptz order by collection_id, created_at desc)
    union all
    (select distinct on (collection_id) * from finished where status = 'complete' and finished_at <= ${since.toISOString()}::timestamptz order by collection_id, finished_at desc)`;
  return rows.map((r) => ({
    collection: r.collection,
    status: r.status,
    points: r.points,
    createdAt: new Date(r.created_at),
    finishedAt: new Date(r.finished_at),
    verifiedAt: r.verified_at ? new Date(r.verified_at) : null,
    verifiedOk: r.verified_ok,
  }));
}

/** Each REINDEX approval that overlapped the window: from its checkpoint's start to its decision, or to the operation's end. */
async function approvalWaits(since: Date, now: Date): Promise<ApprovalWait[]> {
  const rows = await getSql()<{ collection: string; from: Date; until: Date | null }[]>`
    select c.name as collection, s.started_at as from, coalesce(s.finished_at, o.finished_at) as until
    from operation_steps s join operations o on o.id = s.operation_id join collections c on c.id = o.collection_id
    where o.type = 'REINDEX' and s.name = 'approval' and s.started_at is not null and s.started_at <= ${now.toISOString()}::timestamptz
      and (coalesce(s.finished_at, o.finished_at) is null or coalesce(s.finished_at, o.finished_at) > ${since.toISOString()}::timestamptz)
    limit ${MAX_RECORDS}`;
  return rows.map((r) => ({ collection: r.collection, from: new Date(r.from), until: r.until ? new Date(r.until) : null }));
}

type Rebuild = (since: Date, now: Date) => Promise<HistoricPoint[]>;

const fromOperations =
  (holds: (o: OperationFinish) => boolean): Rebuild =>
  async (since, now) => {
    const finishes = await operationFinishes(since, now);
    return operationPoints(finishes, replayTimes(since, now, finishes.map((f) => f.at)), holds);
  };

const fromBackups =
  (holds: (b: BackupRecord, at: Date) => boolean): Rebuild =>
  async (since, now) => {
    const records = await backupRecords(since, now);
    const changes = records.flatMap((b) => [b.finishedAt, ...(b.verifiedAt ? [b.verifiedAt] : [])]);
    return backupStatePoints(records, replayTimes(since, now, changes), holds);
  };

/** Sources whose past is rebuilt from operations and backups rather than from the sampler's minutes. */
export const FROM_RECORDS: Partial<Record<SourceName, Rebuild>> = {
  operation_failed: fromOperations((o) => o.status === "failed"),
  operation_succeeded_with_failures: fromOperations((o) => o.status === "succeeded" && o.outcome === SUCCEEDED_WITH_FAILURES),
  backup_failed: fromBackups(BACKUP_HOLDS.backup_failed),
  backup_empty: fromBackups(BACKUP_HOLDS.backup_empty),
  backup_never_verified: fromBackups(BACKUP_HOLDS.backup_never_verified),
  backup_age_hours: async (since, now) => {
    const records = await backupRecords(since, now);
    return backupAgePoints(records, replayTimes(since, now, records.map((b) => b.finishedAt)));
  },
  reindex_awaiting_approval: async (since, now) => {
    const waits = await approvalWaits(since, now);
    return approvalPoints(waits, replayTimes(since, now, waits.flatMap((w) => [w.from, ...(w.until ? [w.until] : [])])));
  },
};

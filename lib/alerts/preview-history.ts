import type { HistoricPoint } from "./preview";
import type { Series } from "./sources";

/**
 * Series rebuilt from what PostgreSQL keeps of operations and backups, for the sources the sampler
 * does not store: each function replays its records in time order and says, at each moment, what
 * the live source (lib/alerts/sources.ts) would have read then.
 */

export type OperationFinish = { collection: string; type: string; status: string; outcome: string | null; at: Date };
export type BackupRecord = { collection: string; status: string; points: number | null; createdAt: Date; finishedAt: Date; verifiedAt: Date | null; verifiedOk: boolean | null };
export type ApprovalWait = { collection: string; from: Date; until: Date | null };

const MINUTE = 60_000;

/** The moments to replay: each minute of the window, its end, and each record's own time (so a change is seen when it happened). */
export function replayTimes(since: Date, now: Date, changes: Date[]): Date[] {
  const times = new Set<number>();
  for (let t = since.getTime() + MINUTE; t < now.getTime(); t += MINUTE) times.add(t);
  times.add(now.getTime());
  for (const c of changes) if (c.getTime() > since.getTime() && c.getTime() <= now.getTime()) times.add(c.getTime());
  return [...times].sort((a, b) => a - b).map((t) => new Date(t));
}

/** Walks records sorted by `at` alongside ascending times, handing each record over once its time has come. */
function sweep<T>(records: T[], at: (r: T) => Date, times: Date[], apply: (r: T) => void, read: (t: Date) => Series[]): HistoricPoint[] {
  const sorted = [...records].sort((a, b) => at(a).getTime() - at(b).getTime());
  let next = 0;
  return times.map((t) => {
    while (next < sorted.length && at(sorted[next]!).getTime() <= t.getTime()) apply(sorted[next++]!);
    return { at: t, series: read(t) };
  });
}

/** operation_failed / operation_succeeded_with_failures: the latest finished operation of each (collection, type) at each moment. */
export function operationPoints(finishes: OperationFinish[], times: Date[], holds: (o: OperationFinish) => boolean): HistoricPoint[] {
  const latest = new Map<string, OperationFinish>();
  return sweep(
    finishes,
    (f) => f.at,
    times,
    (f) => latest.set(`${f.collection}\u0000${f.type}`, f),
    () => [...latest.values()].filter(holds).map((o) => ({ labels: { collection: o.collection, type: o.type }, value: 1 })),
  );
}

/** backup_failed / backup_empty / backup_never_verified: each collection's latest finished backup (by creation) at each moment. */
export function backupStatePoints(records: BackupRecord[], times: Date[], holds: (b: BackupRecord, at: Date) => boolean): HistoricPoint[] {
  const latest = new Map<string, BackupRecord>();
  return sweep(
    records,
    (b) => b.finishedAt,
    times,
    (b) => {
      const seen = latest.get(b.collection);
      if (!seen || seen.createdAt.getTime() <= b.createdAt.getTime()) latest.set(b.collection, b);
    },
    (t) => [...latest.values()].filter((b) => holds(b, t)).map((b) => ({ labels: { collection: b.collection }, value: 1 })),
  );
}

/** backup_age_hours: hours since each collection's latest complete backup; a collection not yet backed up has no series. */
export function backupAgePoints(records: BackupRecord[], times: Date[]): HistoricPoint[] {
  const lastComplete = new Map<string, number>();
  return sweep(
    records.filter((b) => b.status === "complete"),
    (b) => b.finishedAt,
    times,
    (b) => lastComplete.set(b.collection, Math.max(lastComplete.get(b.collection) ?? 0, b.finishedAt.getTime())),
    (t) => [...lastComplete].map(([collection, at]) => ({ labels: { collection }, value: (t.getTime() - at) / 3_600_000 })),
  );
}

/** reindex_awaiting_approval: 1 for each collection with a REINDEX between its approval's start and its decision (or its end). */
export function approvalPoints(waits: ApprovalWait[], times: Date[]): HistoricPoint[] {
  return times.map((t) => {
    const waiting = new Set(waits.filter((w) => w.from.getTime() <= t.getTime() && (w.until === null || w.until.getTime() > t.getTime())).map((w) => w.collection));
    return { at: t, series: [...waiting].map((collection) => ({ labels: { collection }, value: 1 })) };
  });
}

/** The states a backup is in at `at`, as the live sources judge the latest one. */
export const BACKUP_HOLDS = {
  backup_failed: (b: BackupRecord) => b.status === "failed",
  backup_empty: (b: BackupRecord) => b.status === "complete" && Number(b.points ?? 0) === 0,
  // Only the last verification is kept: before it, the backup counts as not yet verified.
  backup_never_verified: (b: BackupRecord, at: Date) => b.status === "complete" && !(b.verifiedOk === true && b.verifiedAt !== null && b.verifiedAt.getTime() <= at.getTime()),
} as const;

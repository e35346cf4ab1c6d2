import { Cron } from "croner";

/** Pure rules of backup schedules: cron slots, retention and the page's flags (unit-tested beside). */

/** A croner expression's error, or null when it reads (5 fields, or 6 with seconds first). */
export function cronError(expression: string): string | null {
  const parts = expression.trim().split(/\s+/).length;
  if (parts !== 5 && parts !== 6) return "Use 5 fields (minute hour day month weekday), or 6 with seconds first.";
  try {
    new Cron(expression, { paused: true });
    return null;
  } catch {
    return "Not a cron expression this server can read.";
  }
}

/** The latest slot of `expression` at or before `now`, if it is later than `since` (else nothing is due). */
export function dueSlot(expression: string, since: Date, now: Date = new Date()): Date | null {
  let prev: Date | undefined;
  try {
    // previousRuns is strictly before its reference: a slot exactly at `now` counts too.
    [prev] = new Cron(expression, { paused: true }).previousRuns(1, new Date(now.getTime() + 1));
  } catch {
    return null;
  }
  return prev && prev.getTime() > since.getTime() ? prev : null;
}

/** The two latest slots at or before `now`, newest first. */
export function lastSlots(expression: string, now: Date = new Date()): Date[] {
  try {
    return new Cron(expression, { paused: true }).previousRuns(2, new Date(now.getTime() + 1));
  } catch {
    return [];
  }
}

export type RetentionRules = { keepLast: number | null; keepDays: number | null };
export type RetentionCandidate = { id: string; status: "running" | "complete" | "failed"; createdAt: Date; verifiedOk: boolean | null };

/**
 * Which of a schedule's backups retention removes. A complete backup is kept while any set rule
 * keeps it (the newest `keepLast`, or younger than `keepDays`); no rule set keeps all. A failed one
 * goes once a newer complete backup is kept; running ones are never touched. When nothing verified
 * would remain (`verifiedElsewhere`: the collection's other verified backups), the newest verified
 * one of these is kept whatever the rules say.
 */
export function prunableBackups(candidates: RetentionCandidate[], rules: RetentionRules, verifiedElsewhere: number, now: Date = new Date()): string[] {
  if (rules.keepLast === null && rules.keepDays === null) return [];
  const newestFirst = [...candidates].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const complete = newestFirst.filter((b) => b.status === "complete");
  const cutoff = rules.keepDays === null ? null : now.getTime() - rules.keepDays * 86_400_000;
  const kept = new Set(
    complete.filter((b, i) => (rules.keepLast !== null && i < rules.keepLast) || (cutoff !== null && b.createdAt.getTime() >= cutoff)).map((b) => b.id),
  );
  if (verifiedElsewhere === 0 && !complete.some((b) => kept.has(b.id) && b.verifiedOk)) {
    const lastVerified = complete.find((b) => b.verifiedOk);
    if (lastVerified) kept.add(lastVerified.id);
  }
  const newestKept = complete.find((b) => kept.has(b.id));
  return newestFirst
    .filter((b) => {
      if (kept.has(b.id)) return false;
      if (b.status === "complete") return true;
      return b.status === "failed" && !!newestKept && b.createdAt < newestKept.createdAt;
    })
    .map((b) => b.id);
}

export type FlagInput = {
  /** The collection's live points now. */
  points: number;
  /** Its backups, any order. */
  backups: { status: "running" | "complete" | "failed"; createdAt: Date; pointCount: number | null; kind: "full" | "schema"; verifiedOk: boolean | null; drillOk: boolean | null; drilledAt: Date | null }[];
  schedule: { cron: string; enabled: boolean; createdAt: Date } | null;
};

export type BackupFlag = { kind: "failed" | "empty" | "stale" | "unverified"; message: string };

/**
 * What the Backups page warns of for one collection: its latest backup failed, is empty while the
 * collection has points, is older than its schedule allows (a whole slot missed), or no backup of it
 * was ever verified or proven by a drill.
 */
export function backupFlags(input: FlagInput, now: Date = new Date()): BackupFlag[] {
  const flags: BackupFlag[] = [];
  const done = input.backups.filter((b) => b.status !== "running").sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const latest = done[0];
  const latestComplete = done.find((b) => b.status === "complete");
  if (latest?.status === "failed") flags.push({ kind: "failed", message: "The latest backup failed." });
  if (latest?.status === "complete" && latest.kind === "full" && (latest.pointCount ?? 0) === 0 && input.points > 0) {
    flags.push({ kind: "empty", message: `The latest backup holds 0 points while the collection has ${input.points}.` });
  }
  const s = input.schedule;
  if (s?.enabled) {
    // The slot before the latest: a backup taken at the latest slot may still be running.
    const [, previous] = lastSlots(s.cron, now);
    if (previous && previous > s.createdAt && (!latestComplete || latestComplete.createdAt < previous)) {
      flags.push({ kind: "stale", message: latestComplete ? "The latest complete backup is older than its schedule allows." : "The schedule has not produced a complete backup yet." });
    }
  }
  if (done.some((b) => b.status === "complete") && !done.some((b) => b.verifiedOk === true || b.drillOk === true)) {
    flags.push({ kind: "unverified", message: "No backup of this collection has been verified or proven by a drill." });
  }
  return flags;
}

/** The newest backup a drill restored and queried successfully: "last proven restorable". */
export function lastProven(backups: FlagInput["backups"]): Date | null {
  const times = backups.filter((b) => b.drillOk && b.drilledAt).map((b) => b.drilledAt!.getTime());
  return times.length ? new Date(Math.max(...times)) : null;
}

/** A scratch collection's name within the name rules: `drill-<collection>-<yyyymmddhhmmss>`. */
export function drillCollectionName(collection: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const base = collection.replace(/__+/g, "_").slice(0, 63 - "drill--".length - stamp.length).replace(/[-_]+$/, "");
  return `drill-${base}-${stamp}`;
}

import { formatDuration } from "@/lib/format";

/** Pure: how an operation's figures compare with earlier runs. No imports of db/, so pages may use it. */

export type StageTime = { stage: string; totalMs: number };
export type RunFigures = { operationId: string; label: string; durationMs: number | null; stages: StageTime[] };
export type StageDelta = { stage: string; currentMs: number; medianMs: number; deltaMs: number };
export type Comparison = {
  /** Earlier runs compared against (at most five). */
  runs: number;
  medianDurationMs: number | null;
  /** Percent longer (+) or shorter (−) than the median; null when there is nothing to divide by. */
  deltaPct: number | null;
  stages: StageDelta[];
  /** The stage that moved most in the direction of the whole, if any did. */
  where: StageDelta | null;
  sentence: string;
};

/** Within this share of the median a run took "about as long". */
const SAME_WITHIN = 0.05;
const WORDS = ["", "", "two", "three", "four", "five"];

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const signedDuration = (ms: number) => `${ms < 0 ? "−" : "+"}${formatDuration(Math.abs(ms))}`;

/**
 * Compares `current` with `earlier` (the last runs of the same type on the same collection that
 * succeeded, newest first): the median duration, each stage's median, and one sentence saying
 * how much longer or shorter it took and which stage is where. `kind` names the operation
 * ("reindex"); `running`: the current run has not ended, so its figures are so far.
 */
export function compareWithEarlier(current: RunFigures, earlier: RunFigures[], opts: { kind: string; running?: boolean }): Comparison {
  const history = earlier.filter((r) => r.durationMs !== null).slice(0, 5);
  const runs = history.length;
  const kind = opts.kind;
  const them = runs === 1 ? "the last run" : `the median of the last ${WORDS[runs] ?? runs}`;
  const none: Comparison = { runs, medianDurationMs: null, deltaPct: null, stages: [], where: null, sentence: "" };
  if (runs === 0) return { ...none, sentence: `This is the first ${kind} on this collection: there is no earlier successful run to compare with.` };

  const medianDurationMs = median(history.map((r) => r.durationMs!))!;
  const names = [...new Set([...current.stages, ...history.flatMap((r) => r.stages)].map((s) => s.stage))];
  const msOf = (run: RunFigures, stage: string) => run.stages.find((s) => s.stage === stage)?.totalMs ?? 0;
  const stages = names.map((stage) => {
    const currentMs = msOf(current, stage);
    const medianMs = median(history.map((r) => msOf(r, stage)))!;
    return { stage, currentMs, medianMs, deltaMs: currentMs - medianMs };
  });
  const base = { runs, medianDurationMs, stages };
  if (current.durationMs === null) return { ...base, deltaPct: null, where: null, sentence: `Not started yet; ${them} took ${formatDuration(medianDurationMs)}.` };
  if (opts.running) return { ...base, deltaPct: null, where: null, sentence: `Still running: ${formatDuration(current.durationMs)} so far; ${them} took ${formatDuration(medianDurationMs)}.` };

  const diff = current.durationMs - medianDurationMs;
  // The stage that moved most the same way as the whole (a run can be slower overall while one stage sped up).
  const where = stages.filter((s) => Math.sign(s.deltaMs) === Math.sign(diff) && s.deltaMs !== 0).sort((a, b) => Math.abs(b.deltaMs) - Math.abs(a.deltaMs))[0] ?? null;
  const whereClause = where ? `; the ${where.stage} stage is where (${signedDuration(where.deltaMs)})` : "";
  const This = `This ${kind}`;
  if (medianDurationMs <= 0) {
    const sentence = current.durationMs <= 0 ? `${This} took no measurable time, as did ${them}.` : `${This} took ${formatDuration(current.durationMs)}, where ${them} took no measurable time${whereClause}.`;
    return { ...base, deltaPct: null, where: current.durationMs <= 0 ? null : where, sentence };
  }
  const share = diff / medianDurationMs;
  const deltaPct = Math.round(share * 100);
  if (Math.abs(share) < SAME_WITHIN) {
    return { ...base, deltaPct, where: null, sentence: `${This} took about as long as ${them} (${formatDuration(current.durationMs)} against ${formatDuration(medianDurationMs)}).` };
  }
  const how = diff > 0 ? `${Math.abs(deltaPct)} % longer than` : `${Math.abs(deltaPct)} % less time than`;
  return { ...base, deltaPct, where, sentence: `${This} took ${how} ${them}${whereClause}.` };
}

/** Rows for the chart: the earlier runs oldest first, then this one, each with its duration and stage times in seconds. */
export function comparisonChartRows(current: RunFigures, earlier: RunFigures[]): Array<Record<string, number | string>> {
  return [...earlier.slice(0, 5)].reverse().concat(current).map((run) => {
    const row: Record<string, number | string> = { label: run.label, total: (run.durationMs ?? 0) / 1000 };
    for (const s of run.stages) row[s.stage] = s.totalMs / 1000;
    return row;
  });
}

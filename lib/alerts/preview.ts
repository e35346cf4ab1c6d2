import type { AlertOperator } from "@/db/schema/alerts";
import type { BreakerSample, CollectionSample, HealthStatus } from "@/db/schema/health-samples";
import { fingerprintOf, matches } from "./evaluate";
import type { SourceName, Series } from "./sources";
import { compare, stepAlert, type AlertSnapshot } from "./state";

/** One stored look at the world: its time and the series a source had then. */
export type HistoricPoint = { at: Date; series: Series[] };

/** What the sampler keeps of each minute, enough to rebuild these sources' series (null: sampled before it was kept). */
export type StoredSample = {
  at: Date;
  status: HealthStatus;
  collections: CollectionSample[];
  runsWaiting: number | null;
  breakers: BreakerSample[] | null;
  failedFinishes: { collection: string; at: Date }[];
};

/**
 * Sources replayed over the sampler's minutes; the others are rebuilt from operations and backups
 * (lib/alerts/preview-history.ts). Null: the sample did not record it, so that minute is skipped.
 */
export const FROM_SAMPLES: Partial<Record<SourceName, (s: StoredSample) => Series[] | null>> = {
  dead_letters: (s) => s.collections.map((c) => ({ labels: { collection: c.name }, value: c.deadLetters })),
  health_unhealthy: (s) => [{ labels: {}, value: s.status === "unhealthy" ? 1 : 0 }],
  runs_waiting: (s) => (s.runsWaiting === null ? null : [{ labels: {}, value: s.runsWaiting }]),
  breaker_open: (s) => s.breakers?.map((b) => ({ labels: { model: b.model }, value: b.open ? 1 : 0 })) ?? null,
  operations_failed_15m: (s) => {
    const counts = new Map(s.collections.map((c) => [c.name, 0]));
    for (const f of s.failedFinishes) if (f.at <= s.at && f.at.getTime() > s.at.getTime() - 15 * 60_000) counts.set(f.collection, (counts.get(f.collection) ?? 0) + 1);
    return [...counts].map(([collection, value]) => ({ labels: { collection }, value }));
  },
};

export type PreviewFiring = { labels: Record<string, string>; firedAt: Date; resolvedAt: Date | null; peak: number };

/**
 * Replays a rule over stored points, oldest first, with the evaluator's own state machine
 * (stepAlert): each firing it would have had, when it would have resolved, and its peak value.
 */
export function previewFirings(rule: { id?: string; matchers: Record<string, string>; operator: AlertOperator; threshold: number; forSeconds: number }, points: HistoricPoint[]): PreviewFiring[] {
  const ruleId = rule.id ?? "preview";
  const states = new Map<string, { snapshot: AlertSnapshot | null; labels: Record<string, string>; open: PreviewFiring | null }>();
  const firings: PreviewFiring[] = [];
  for (const point of [...points].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const seen = new Set<string>();
    const judge = (labels: Record<string, string>, value: number, active: boolean) => {
      const key = fingerprintOf(ruleId, labels);
      seen.add(key);
      const entry = states.get(key) ?? { snapshot: null, labels, open: null };
      const { state, notice } = stepAlert(entry.snapshot, active, point.at, rule.forSeconds);
      if (notice === "firing") {
        entry.open = { labels, firedAt: point.at, resolvedAt: null, peak: value };
        firings.push(entry.open);
      } else if (notice === "resolved" && entry.open) {
        entry.open.resolvedAt = point.at;
        entry.open = null;
      } else if (entry.open && active) entry.open.peak = Math.max(entry.open.peak, value);
      states.set(key, { ...entry, snapshot: state });
    };
    for (const s of point.series) if (matches(s.labels, rule.matchers)) judge(s.labels, s.value, compare(rule.operator, s.value, rule.threshold));
    for (const [key, entry] of states) if (!seen.has(key)) judge(entry.labels, 0, false);
  }
  return firings;
}

/** The Alerts dashboard's figures, shaped from alert states and their transitions (pure: unit-tested). */

export type Severity = "info" | "warning" | "critical";
export type Status = "pending" | "firing" | "acknowledged" | "resolved";
export type TransitionRow = { alertId: string; ruleId: string; fromStatus: Status | null; toStatus: Status; at: Date };

export const SEVERITY_SERIES = [
  { key: "critical", label: "Critical", color: "var(--destructive)" },
  { key: "warning", label: "Warning", color: "var(--warning)" },
  { key: "info", label: "Info", color: "var(--primary)" },
] as const;

/** Open (firing or acknowledged) alerts per severity, every severity present (0 when none). */
export function firingBySeverity(open: { status: Status; severity: Severity }[]): { severity: Severity; firing: number; acknowledged: number }[] {
  return SEVERITY_SERIES.map(({ key }) => ({
    severity: key,
    firing: open.filter((a) => a.severity === key && a.status === "firing").length,
    acknowledged: open.filter((a) => a.severity === key && a.status === "acknowledged").length,
  }));
}

export type TimelineBucket = { bucket: string; fired: number; acknowledged: number; resolved: number };

/** `hours` hourly buckets ending with the one holding `now`, counting transitions into firing, acknowledged and resolved. */
export function alertTimeline(transitions: TransitionRow[], now: Date, hours = 24): TimelineBucket[] {
  const hour = 3600_000;
  const end = Math.floor(now.getTime() / hour) * hour;
  const start = end - (hours - 1) * hour;
  const buckets: TimelineBucket[] = Array.from({ length: hours }, (_, i) => ({ bucket: new Date(start + i * hour).toISOString(), fired: 0, acknowledged: 0, resolved: 0 }));
  for (const t of transitions) {
    const i = Math.floor((t.at.getTime() - start) / hour);
    if (i < 0 || i >= hours) continue;
    if (t.toStatus === "firing") buckets[i]!.fired++;
    else if (t.toStatus === "acknowledged") buckets[i]!.acknowledged++;
    else if (t.toStatus === "resolved" && t.fromStatus !== "pending") buckets[i]!.resolved++;
  }
  return buckets;
}

export type RuleTimes = { ruleId: string; firings: number; mttaSeconds: number | null; mttrSeconds: number | null };

/**
 * Per rule, over the firings in `transitions`: mean time from firing to acknowledgement (MTTA, the
 * firings acknowledged) and from firing to resolution (MTTR, the firings resolved). A firing counts
 * from its transition into "firing" to the alert's next transition into acknowledged / resolved.
 */
export function ruleResponseTimes(transitions: TransitionRow[]): RuleTimes[] {
  const byAlert = new Map<string, TransitionRow[]>();
  for (const t of transitions) byAlert.set(t.alertId, [...(byAlert.get(t.alertId) ?? []), t]);
  const acc = new Map<string, { firings: number; ack: number[]; res: number[] }>();
  for (const rows of byAlert.values()) {
    rows.sort((a, b) => a.at.getTime() - b.at.getTime());
    let firedAt: number | null = null;
    let acked = false;
    for (const t of rows) {
      const r = acc.get(t.ruleId) ?? { firings: 0, ack: [], res: [] };
      acc.set(t.ruleId, r);
      if (t.toStatus === "firing") {
        firedAt = t.at.getTime();
        acked = false;
        r.firings++;
      } else if (firedAt !== null && t.toStatus === "acknowledged" && !acked) {
        r.ack.push((t.at.getTime() - firedAt) / 1000);
        acked = true;
      } else if (firedAt !== null && t.toStatus === "resolved") {
        r.res.push((t.at.getTime() - firedAt) / 1000);
        firedAt = null;
      }
    }
  }
  const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  return [...acc.entries()].filter(([, r]) => r.firings > 0).map(([ruleId, r]) => ({ ruleId, firings: r.firings, mttaSeconds: mean(r.ack), mttrSeconds: mean(r.res) })).sort((a, b) => b.firings - a.firings || a.ruleId.localeCompare(b.ruleId));
}

/** The rules that fired most often, at most `limit`, with their names. */
export function noisiestRules(transitions: TransitionRow[], names: Map<string, string>, limit = 10): { rule: string; firings: number }[] {
  const counts = new Map<string, number>();
  for (const t of transitions) if (t.toStatus === "firing") counts.set(t.ruleId, (counts.get(t.ruleId) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (names.get(a[0]) ?? a[0]).localeCompare(names.get(b[0]) ?? b[0]))
    .slice(0, limit)
    .map(([ruleId, firings]) => ({ rule: names.get(ruleId) ?? "deleted rule", firings }));
}

/** 95 s → "1 min 35 s", 7200 → "2 h"; null → "—". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ""}`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return `${h} h${m ? ` ${m} min` : ""}`;
}

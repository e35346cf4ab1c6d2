import { describe, expect, it } from "vitest";
import { alertTimeline, firingBySeverity, formatDuration, noisiestRules, ruleResponseTimes, type TransitionRow } from "./alert-dashboard-data";

const at = (min: number) => new Date(Date.UTC(2026, 11, 3, 10, 0) + min * 60_000);
const t = (alertId: string, ruleId: string, fromStatus: TransitionRow["fromStatus"], toStatus: TransitionRow["toStatus"], min: number): TransitionRow => ({ alertId, ruleId, fromStatus, toStatus, at: at(min) });

const history = [
  t("a1", "r1", null, "firing", 0),
  t("a1", "r1", "firing", "acknowledged", 2),
  t("a1", "r1", "acknowledged", "resolved", 10),
  t("a1", "r1", "resolved", "firing", 60),
  t("a1", "r1", "firing", "acknowledged", 64),
  t("a1", "r1", "acknowledged", "resolved", 90),
  t("b1", "r2", null, "pending", 5),
  t("b1", "r2", "pending", "firing", 6),
  t("c1", "r3", null, "pending", 5),
  t("c1", "r3", "pending", "resolved", 6),
];

describe("alert dashboard data", () => {
  it("counts open alerts per severity, every severity listed", () => {
    expect(firingBySeverity([{ status: "firing", severity: "critical" }, { status: "acknowledged", severity: "critical" }, { status: "firing", severity: "info" }])).toEqual([
      { severity: "critical", firing: 1, acknowledged: 1 },
      { severity: "warning", firing: 0, acknowledged: 0 },
      { severity: "info", firing: 1, acknowledged: 0 },
    ]);
  });

  it("puts transitions in hourly buckets ending with now's, leaving out older ones and a pending that never fired", () => {
    const buckets = alertTimeline([...history, t("old", "r1", null, "firing", -25 * 60)], at(95), 24);
    expect(buckets).toHaveLength(24);
    expect(buckets.at(-1)).toEqual({ bucket: at(60).toISOString(), fired: 1, acknowledged: 1, resolved: 1 });
    expect(buckets.at(-2)).toEqual({ bucket: at(0).toISOString(), fired: 2, acknowledged: 1, resolved: 1 });
    expect(buckets.slice(0, -2).every((b) => b.fired + b.acknowledged + b.resolved === 0)).toBe(true);
  });

  it("gives each rule its mean time to acknowledge and to resolve over its firings", () => {
    expect(ruleResponseTimes(history)).toEqual([
      { ruleId: "r1", firings: 2, mttaSeconds: 180, mttrSeconds: 1200 },
      { ruleId: "r2", firings: 1, mttaSeconds: null, mttrSeconds: null },
    ]);
  });

  it("ranks rules by firings, naming a deleted one", () => {
    expect(noisiestRules(history, new Map([["r1", "Dead letters"]]))).toEqual([
      { rule: "Dead letters", firings: 2 },
      { rule: "deleted rule", firings: 1 },
    ]);
    expect(noisiestRules(history, new Map(), 1)).toHaveLength(1);
  });

  it("writes durations for people", () => {
    expect([formatDuration(null), formatDuration(42), formatDuration(95), formatDuration(7200), formatDuration(5430)]).toEqual(["—", "42 s", "1 min 35 s", "2 h", "1 h 31 min"]);
  });
});

import { describe, expect, it } from "vitest";
import { compare, stepAlert, type AlertSnapshot } from "./state";

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

/** Runs `stepAlert` over (second, active) observations and returns the notices and final state. */
function run(observations: [number, boolean][], forSeconds: number, start: AlertSnapshot | null = null) {
  let state = start;
  const notices: string[] = [];
  for (const [s, active] of observations) {
    const step = stepAlert(state, active, t(s), forSeconds);
    state = step.state;
    notices.push(`${s}:${step.state?.status ?? "none"}${step.notice ? `!${step.notice}` : ""}`);
  }
  return { state, notices };
}

describe("stepAlert", () => {
  it("fires at once without a pending period and tells once, then resolves and tells once", () => {
    expect(run([[0, true], [15, true], [30, false], [45, false]], 0).notices).toEqual(["0:firing!firing", "15:firing", "30:resolved!resolved", "45:resolved"]);
  });

  it("holds pending until the condition has held for its period, counting from when it started", () => {
    const { notices, state } = run([[0, true], [15, true], [30, true], [45, true]], 30);
    expect(notices).toEqual(["0:pending", "15:pending", "30:firing!firing", "45:firing"]);
    expect(state).toMatchObject({ activeSince: t(0), firedAt: t(30), fireCount: 1 });
  });

  it("drops a pending alert that never fired, and starts the period again when it returns", () => {
    expect(run([[0, true], [15, false], [30, true], [45, true], [60, true]], 30).notices).toEqual(["0:pending", "15:none", "30:pending", "45:pending", "60:firing!firing"]);
  });

  it("re-fires a resolved alert whose condition returns, counting the firing", () => {
    const { notices, state } = run([[0, true], [15, false], [30, true]], 0);
    expect(notices).toEqual(["0:firing!firing", "15:resolved!resolved", "30:firing!firing"]);
    expect(state).toMatchObject({ fireCount: 2, resolvedAt: null, firedAt: t(30) });
  });

  it("keeps an acknowledgement while the condition holds and clears it when it resolves", () => {
    const acked: AlertSnapshot = { status: "acknowledged", activeSince: t(0), firedAt: t(0), fireCount: 1, acknowledgedAt: t(5), acknowledgedBy: "ops@example.test", ackReason: "on it", resolvedAt: null };
    expect(stepAlert(acked, true, t(15), 0)).toEqual({ state: acked, notice: null });
    expect(stepAlert(acked, false, t(30), 0)).toEqual({ state: { ...acked, status: "resolved", resolvedAt: t(30), acknowledgedAt: null, acknowledgedBy: null, ackReason: null }, notice: "resolved" });
  });

  it("returns a re-fire that went away while pending to resolved, without telling", () => {
    const resolved: AlertSnapshot = { status: "resolved", activeSince: t(0), firedAt: t(0), fireCount: 1, acknowledgedAt: null, acknowledgedBy: null, ackReason: null, resolvedAt: t(10) };
    expect(run([[20, true], [35, false]], 60, resolved).notices).toEqual(["20:pending", "35:resolved"]);
  });

  it("compares with each operator", () => {
    expect([compare("gt", 2, 1), compare("gt", 1, 1), compare("gte", 1, 1), compare("lt", 0, 1), compare("lte", 1, 1), compare("lte", 2, 1), compare("eq", 1, 1), compare("eq", 1.5, 1)]).toEqual([true, false, true, true, true, false, true, false]);
  });
});

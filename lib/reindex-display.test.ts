import { describe, expect, it } from "vitest";
import { checkpointTimeline, decisionOf, durationText, formatSetting, pointsText, throttledEtaText } from "./reindex-display";

const at = (s: number) => new Date(Date.UTC(2025, 0, 2, 10, 0, s)).toISOString();
const step = (name: string, status: string, output: unknown = null, startS = 0, endS: number | null = startS + 1, error: string | null = null) => ({
  name,
  status,
  attempts: 1,
  output,
  error,
  startedAt: at(startS),
  finishedAt: endS === null ? null : at(endS),
});

describe("checkpointTimeline", () => {
  it("lists every REINDEX checkpoint in order, those to come as not yet, and times the running one up to now", () => {
    const steps = [
      step("staging", "succeeded", { version: 2, physicalName: "docs__v2" }, 2, 3),
      step("preflight", "succeeded", { embedder: "builtin", dimension: 384, liveVersion: 1, reservedBytes: 2048, freeBytes: 10 * 1024 ** 3 }, 0, 2),
      step("reprocessing", "running", null, 3, null),
    ];
    const timeline = checkpointTimeline({ type: "REINDEX", status: "running", params: { requireApproval: true } }, steps, Date.parse(at(13)));
    expect(timeline.map((e) => [e.name, e.state])).toEqual([
      ["preflight", "succeeded"],
      ["staging", "succeeded"],
      ["reprocessing", "running"],
      ["validation", "not_yet"],
      ["approval", "not_yet"],
      ["switch", "not_yet"],
      ["cleanup", "not_yet"],
    ]);
    expect(timeline[0]!.detail).toBe("live version v1 · builtin embedder, 384 dimensions · 2 KiB reserved, 10 GiB free");
    expect(timeline[1]!.detail).toBe("building v2 (docs__v2)");
    expect(timeline[2]!.durationMs).toBe(10_000);
    expect(timeline[3]!.durationMs).toBeNull();
  });

  it("says an approval nobody asked for is not required, and checkpoints after a failure did not run", () => {
    const report = { passed: false, gates: [{ name: "count", passed: true, gated: true, threshold: "10 ± 0.1 %" }, { name: "recall", passed: false, gated: true, threshold: "≥ 0.7" }], overlap: 0.5, recallNew: 0.25 };
    const timeline = checkpointTimeline({ type: "REINDEX", status: "failed", params: { requireApproval: false } }, [step("validation", "failed", report, 0, 4, "Validation failed: recall")], 0);
    const byName = Object.fromEntries(timeline.map((e) => [e.name, e]));
    expect(byName.approval!.state).toBe("not_required");
    expect(byName.switch!.state).toBe("did_not_run");
    expect(byName.validation!.detail).toBe("failed Recall (1 of 2 gates passed) · overlap 0.50 · recall 0.25");
    expect(byName.validation!.error).toBe("Validation failed: recall");
  });

  it("does not count a gate the change is not gated on (score drift under new chunking) among the passed ones", () => {
    const report = {
      passed: true,
      gates: [
        { name: "count", passed: true, gated: true, threshold: "10 ± 0.1 %" },
        { name: "score_drift", passed: true, gated: false, threshold: "not gated: the chunking changes, so each chunk matches a query differently" },
      ],
      overlap: 0.9,
      recallNew: 1,
    };
    const [validation] = checkpointTimeline({ type: "REINDEX", status: "running", params: {} }, [step("validation", "succeeded", report)], 0).filter((e) => e.name === "validation");
    expect(validation!.detail).toBe("1 of 1 gates passed · overlap 0.90 · recall 1.00");
  });

  it("gives the approval's deadline while it waits and who decided once decided; the switch and cleanup in words", () => {
    const waiting = checkpointTimeline({ type: "REINDEX", status: "waiting", params: { requireApproval: true } }, [step("approval", "running", { deadline: at(59) }, 0, null)], 0);
    expect(waiting.find((e) => e.name === "approval")!.detail).toBe("awaiting a decision until 2025-01-02 10:00:59 UTC");
    const decision = { decision: "approve", actor: "olivia@example.com", actorId: null, comment: "chunks look right", at: at(30) };
    const done = checkpointTimeline(
      { type: "REINDEX", status: "succeeded", params: { requireApproval: true } },
      [step("approval", "succeeded", { deadline: at(59), decision }), step("switch", "succeeded", { fromVersion: 1, toVersion: 2, aliasMs: 3.4 }), step("cleanup", "succeeded", { keptVersion: 1, deleteAfter: at(40) })],
      0,
    );
    const byName = Object.fromEntries(done.map((e) => [e.name, e]));
    expect(byName.approval!.detail).toBe("approved by olivia@example.com at 2025-01-02 10:00:30 UTC: “chunks look right”");
    expect(byName.switch!.detail).toBe("v1 → v2; the alias moved in 3 ms");
    expect(byName.cleanup!.detail).toBe("v1 kept for rollback until 2025-01-02 10:00:40 UTC");
    expect(decisionOf({ decision: { decision: "maybe" } })).toBeNull();
  });

  it("has three checkpoints for a ROLLBACK, its validation being the retired version's counts", () => {
    const timeline = checkpointTimeline(
      { type: "ROLLBACK", status: "running", params: {} },
      [step("validation", "succeeded", { points: 1200, expectedPoints: 1200, dimension: 384, expectedDimension: 384, documentsAddedSince: 0 })],
      0,
    );
    expect(timeline.map((e) => e.name)).toEqual(["validation", "switch", "cleanup"]);
    expect(timeline[0]!.detail).toBe("1,200 of 1,200 points expected · 384 dimensions · no document added since");
  });
});

describe("the estimate in words", () => {
  it("says about unless the points are exact, and gives units", () => {
    expect(pointsText({ points: 2400, currentPoints: 1200, pointsExact: false })).toBe("about 2,400 (now 1,200)");
    expect(pointsText({ points: 1200, currentPoints: 1200, pointsExact: true })).toMatch(/^1,200 /);
    expect(formatSetting("chunkSize", 1200)).toBe("1,200 chars");
  });

  it("gives the duration with its rate and basis, and the ETA under a throttle", () => {
    const e = { durationS: 75, rateDocsPerS: 8, rateBasis: "the last 2 INDEX/APPEND operation(s) of this collection", etaS: 300 };
    expect(durationText(e)).toBe("about 1 min 15 s at 8 documents/s, from the last 2 INDEX/APPEND operation(s) of this collection");
    expect(durationText({ durationS: null, rateDocsPerS: null, rateBasis: "no finished operation of this collection to go by" })).toBe("unknown: no finished operation of this collection to go by");
    expect(throttledEtaText(e, 2)).toBe("about 5 min 0 s with the throttle of 2 documents/s");
    expect(throttledEtaText({ etaS: 75, rateDocsPerS: 8 }, 50)).toMatch(/the throttle does not slow it/);
    expect(throttledEtaText(e, null)).toBeNull();
  });
});

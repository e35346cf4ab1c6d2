import { describe, expect, it } from "vitest";
import { formatDuration, summarizeBySeries } from "./preview-summary";

const now = new Date("2026-12-04T12:00:00Z");
const f = (collection: string, fired: string, resolved: string | null) => ({ labels: { collection }, firedAt: new Date(`2026-12-04T${fired}:00Z`), resolvedAt: resolved ? new Date(`2026-12-04T${resolved}:00Z`) : null, peak: 1 });

describe("the preview's summary", () => {
  it("counts each series' firings and their time, the noisiest first, one still firing counted until now", () => {
    const summary = summarizeBySeries([f("docs", "10:00", "10:30"), f("tickets", "09:00", "09:10"), f("docs", "11:00", null), f("docs", "08:00", "08:05")], now);
    expect(summary).toEqual([
      { labels: "collection=docs", firings: 3, firingMs: (30 + 60 + 5) * 60_000, lastFiredAt: "2026-12-04T11:00:00.000Z", stillFiring: true },
      { labels: "collection=tickets", firings: 1, firingMs: 10 * 60_000, lastFiredAt: "2026-12-04T09:00:00.000Z", stillFiring: false },
    ]);
    expect(summarizeBySeries([], now)).toEqual([]);
  });

  it("says a duration in hours and minutes", () => {
    expect([formatDuration(20_000), formatDuration(5 * 60_000), formatDuration(60 * 60_000), formatDuration(95 * 60_000)]).toEqual(["< 1 min", "5 min", "1 h", "1 h 35 min"]);
  });
});

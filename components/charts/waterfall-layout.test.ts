import { describe, expect, it } from "vitest";
import { layoutWaterfall } from "./waterfall-layout";

describe("layoutWaterfall", () => {
  it("places bars on one axis from the first start to the last end", () => {
    const { bars, totalMs } = layoutWaterfall(
      [
        { key: "a", label: "a", start: 1000, end: 1500, status: "completed" },
        { key: "b", label: "b", start: 1500, end: 3000, status: "completed" },
      ],
      9999,
    );
    expect(totalMs).toBe(2000);
    expect(bars.map((b) => [b.offsetPct, b.widthPct, b.durationMs])).toEqual([
      [0, 25, 500],
      [25, 75, 1500],
    ]);
  });

  it("runs open items up to now and keeps instant ones visible", () => {
    const { bars } = layoutWaterfall(
      [
        { key: "a", label: "a", start: 0, end: 0, status: "completed" },
        { key: "b", label: "b", start: 0, end: null, status: "running" },
      ],
      400,
    );
    expect(bars[0]!.widthPct).toBe(0.5);
    expect(bars[1]).toMatchObject({ widthPct: 100, durationMs: null });
  });

  it("handles no items", () => {
    expect(layoutWaterfall([], 0)).toEqual({ bars: [], totalMs: 0 });
  });
});

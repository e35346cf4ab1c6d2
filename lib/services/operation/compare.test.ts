import { describe, expect, it } from "vitest";
import { compareWithEarlier, comparisonChartRows, median, type RunFigures } from "./compare";

const run = (id: string, durationMs: number | null, stages: Record<string, number> = {}): RunFigures => ({
  operationId: id,
  label: id,
  durationMs,
  stages: Object.entries(stages).map(([stage, totalMs]) => ({ stage, totalMs })),
});

describe("median", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe("compareWithEarlier", () => {
  const earlier = [run("e1", 5000, { parse: 1000, embed: 3000 }), run("e2", 4000, { parse: 1000, embed: 2000 }), run("e3", 5000, { parse: 1500, embed: 2900 }), run("e4", 6000, { parse: 1000, embed: 4000 }), run("e5", 5000, { parse: 900, embed: 3000 }), run("e6", 99000)];

  it("says how much longer, against the median of the last five, and which stage is where", () => {
    const c = compareWithEarlier(run("now", 7000, { parse: 1000, embed: 5100 }), earlier, { kind: "reindex" });
    expect(c.runs).toBe(5); // the sixth is past the window
    expect(c.medianDurationMs).toBe(5000);
    expect(c.deltaPct).toBe(40);
    expect(c.where).toMatchObject({ stage: "embed", medianMs: 3000, deltaMs: 2100 });
    expect(c.sentence).toBe("This reindex took 40 % longer than the median of the last five; the embed stage is where (+2.1 s).");
  });

  it("says how much shorter, naming the stage that sped up most even when another slowed", () => {
    const c = compareWithEarlier(run("now", 3000, { parse: 1600, embed: 800 }), earlier, { kind: "index" });
    expect(c.deltaPct).toBe(-40);
    expect(c.where?.stage).toBe("embed");
    expect(c.sentence).toBe("This index took 40 % less time than the median of the last five; the embed stage is where (−2.2 s).");
  });

  it("counts the runs there are when fewer than five, and words a single one as the last run", () => {
    expect(compareWithEarlier(run("now", 6000), earlier.slice(0, 3), { kind: "index" }).sentence).toBe("This index took 20 % longer than the median of the last three.");
    const one = compareWithEarlier(run("now", 2000, { embed: 1500 }), [run("e1", 1000, { embed: 500 })], { kind: "backup" });
    expect(one.runs).toBe(1);
    expect(one.sentence).toBe("This backup took 100 % longer than the last run; the embed stage is where (+1.0 s).");
  });

  it("is an empty state with no earlier run, and ignores runs without a duration", () => {
    const c = compareWithEarlier(run("now", 1000), [run("x", null)], { kind: "reindex" });
    expect(c.runs).toBe(0);
    expect(c.deltaPct).toBeNull();
    expect(c.sentence).toBe("This is the first reindex on this collection: there is no earlier successful run to compare with.");
  });

  it("does not divide by earlier runs that took no measurable time", () => {
    const zero = [run("z1", 0), run("z2", 0)];
    const c = compareWithEarlier(run("now", 1500, { parse: 1200 }), zero, { kind: "index" });
    expect(c.deltaPct).toBeNull();
    expect(c.sentence).toBe("This index took 1.5 s, where the median of the last two took no measurable time; the parse stage is where (+1.2 s).");
    expect(compareWithEarlier(run("now", 0), zero, { kind: "index" }).sentence).toBe("This index took no measurable time, as did the median of the last two.");
  });

  it("says about as long within 5 %, and names no stage then", () => {
    const c = compareWithEarlier(run("now", 5100, { embed: 3500 }), earlier, { kind: "reindex" });
    expect(c.where).toBeNull();
    expect(c.sentence).toBe("This reindex took about as long as the median of the last five (5.1 s against 5.0 s).");
  });

  it("words a run still under way as so far", () => {
    expect(compareWithEarlier(run("now", 2000), earlier, { kind: "reindex", running: true }).sentence).toBe("Still running: 2.0 s so far; the median of the last five took 5.0 s.");
  });
});

describe("comparisonChartRows", () => {
  it("puts the earlier runs oldest first, then this one, in seconds per stage", () => {
    const rows = comparisonChartRows(run("now", 2000, { embed: 1500 }), [run("e1", 1000, { embed: 500 }), run("e2", 3000, { parse: 250 })]);
    expect(rows).toEqual([
      { label: "e2", total: 3, parse: 0.25 },
      { label: "e1", total: 1, embed: 0.5 },
      { label: "now", total: 2, embed: 1.5 },
    ]);
  });
});

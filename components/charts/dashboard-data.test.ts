import { describe, expect, it } from "vitest";
import { bucketLabel, errorRate, formatAge, operationsLink, pivotSeries, shapeDurations, shapeStatusBuckets, shapeThroughput, shapeTimeline } from "./dashboard-data";
import { parseRange, rangeWindow } from "./time-range";

const now = new Date("2026-03-10T14:37:12Z");

describe("rangeWindow", () => {
  it("ends at the end of the current bucket and spans the range in whole buckets", () => {
    const w = rangeWindow("24h", now);
    expect(w.to.toISOString()).toBe("2026-03-10T15:00:00.000Z");
    expect(w.from.toISOString()).toBe("2026-03-09T15:00:00.000Z");
    expect(rangeWindow("1h", now).to.toISOString()).toBe("2026-03-10T14:40:00.000Z");
    expect(rangeWindow("30d", now).bucketMs).toBe(86_400_000);
  });
  it("reads an unknown range from the URL as 24 h", () => {
    expect(parseRange("7d")).toBe("7d");
    expect(parseRange("2y")).toBe("24h");
    expect(parseRange(undefined)).toBe("24h");
  });
});

describe("shapeStatusBuckets and errorRate", () => {
  const w = rangeWindow("24h", now);
  const rows = [
    { bucket: "2026-03-10T13:00:00Z", status: "succeeded", count: 3 },
    { bucket: "2026-03-10T13:00:00Z", status: "failed", count: 1 },
    { bucket: "2026-03-10T14:00:00Z", status: "running", count: 2 },
  ];
  const shaped = shapeStatusBuckets(w, rows);

  it("fills every bucket of the window, zero where nothing ran", () => {
    expect(shaped).toHaveLength(24);
    expect(shaped[0]).toMatchObject({ bucket: "2026-03-09T15:00:00.000Z", total: 0, succeeded: 0 });
    expect(shaped[22]).toMatchObject({ from: "2026-03-10T13:00:00.000Z", to: "2026-03-10T14:00:00.000Z", succeeded: 3, failed: 1, total: 4 });
    expect(shaped[23]).toMatchObject({ running: 2, total: 2 });
  });

  it("rates failures among finished operations only, with no rate where none finished", () => {
    const rates = errorRate(shaped);
    expect(rates[22]).toMatchObject({ rate: 25, failed: 1, finished: 4 });
    expect(rates[23]!.rate).toBeNull(); // two running, none finished: not 0 %
    expect(rates[0]!.rate).toBeNull();
  });
});

it("shapeThroughput averages chunks per minute over the bucket", () => {
  const points = shapeThroughput(rangeWindow("1h", now), [{ bucket: "2026-03-10T14:30:00Z", chunks: 1500 }]);
  expect(points).toHaveLength(12);
  expect(points.find((p) => p.bucket === "2026-03-10T14:30:00.000Z")).toMatchObject({ chunks: 1500, chunksPerMin: 300 });
  expect(points[0]!.chunksPerMin).toBe(0);
});

it("shapeDurations gives seconds, the slowest p95 first", () => {
  expect(shapeDurations([{ type: "INDEX", count: 4, p50Ms: 1234, p95Ms: 9000 }, { type: "BACKUP", count: 2, p50Ms: 20_000, p95Ms: 61_000 }])).toEqual([
    { type: "BACKUP", count: 2, p50S: 20, p95S: 61 },
    { type: "INDEX", count: 4, p50S: 1.2, p95S: 9 },
  ]);
});

it("pivotSeries gives one field per series and null where a series has no sample", () => {
  const { series, points } = pivotSeries(rangeWindow("1h", now), [
    { bucket: "2026-03-10T14:30:00Z", key: "b", name: "beta", value: 10 },
    { bucket: "2026-03-10T14:30:00Z", key: "a", name: "alpha", value: 5 },
    { bucket: "2026-03-10T14:35:00Z", key: "a", name: "alpha", value: 7 },
  ]);
  expect(series.map((s) => s.name)).toEqual(["alpha", "beta"]);
  expect(points.at(-2)).toMatchObject({ a: 5, b: 10 });
  expect(points.at(-1)).toMatchObject({ a: 7, b: null });
  expect(points[0]).toMatchObject({ a: null, b: null });
});

it("shapeTimeline gives each component's worst status per bucket, and no cell where nothing was sampled", () => {
  const rows = shapeTimeline(rangeWindow("1h", now), [
    { bucket: "2026-03-10T14:30:00Z", component: "vector store", worst: 1 },
    { bucket: "2026-03-10T14:35:00Z", component: "vector store", worst: 0 },
    { bucket: "2026-03-10T14:35:00Z", component: "postgresql", worst: 2 },
  ]);
  expect(rows.map((r) => r.component)).toEqual(["postgresql", "vector store"]);
  expect(rows[1]!.cells.slice(-2).map((c) => c.level)).toEqual(["degraded", "healthy"]);
  expect(rows[0]!.cells.slice(-2).map((c) => c.level)).toEqual([null, "unhealthy"]);
});

it("operationsLink uses the operations list's own parameter names and leaves out what is unset", () => {
  expect(operationsLink({ status: "failed", type: "INDEX", from: "2026-03-10T13:00:00.000Z", to: "2026-03-10T14:00:00.000Z" })).toBe(
    "/operations?status=failed&type=INDEX&from=2026-03-10T13%3A00%3A00.000Z&to=2026-03-10T14%3A00%3A00.000Z",
  );
  expect(operationsLink({})).toBe("/operations");
});

it("labels buckets and ages readably", () => {
  expect(bucketLabel("2026-03-10T13:00:00.000Z", 3_600_000)).toBe("13:00");
  expect(bucketLabel("2026-03-10T00:00:00.000Z", 86_400_000)).toBe("03-10");
  expect(bucketLabel("2026-03-10T13:00:00.000Z", 3_600_000, 7 * 86_400_000)).toBe("03-10 13:00"); // hours over a week need their date
  expect(formatAge(30)).toBe("30 s");
  expect(formatAge(3 * 86_400)).toBe("3 d");
  expect(formatAge(5 * 3600)).toBe("5 h");
});

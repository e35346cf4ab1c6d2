import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { seedDashboardHistory, type SeededHistory } from "@/db/test/dashboard-history";
import { actorContext } from "@/db/test/factories";
import { errorRate, shapeStatusBuckets } from "@/components/charts/dashboard-data";
import type { ServiceContext } from "../context";
import { backupAges, collectionSizes, deadLettersByCollection } from "./collections";
import { durationPercentiles, ingestionThroughput, operationsByStatus } from "./operations";
import { loadOverview } from "./overview";

// Seeded in the future, so operations other suites create now fall outside every window read here.
const NOW = new Date("2031-05-20T12:34:00Z");

/** The dashboard's SQL against seven seeded days in the real PostgreSQL. */
describe("dashboard reads", () => {
  let seeded: SeededHistory;
  let ctx: ServiceContext;

  beforeAll(async () => {
    seeded = await seedDashboardHistory(getSql(), { now: NOW });
    ctx = await actorContext("viewer");
  });
  afterAll(() => seeded?.remove());

  it("counts operations per bucket by status, matching the rows", async () => {
    const { window, rows } = await operationsByStatus({ ctx, input: { range: "7d" }, now: NOW });
    const [expected] = await getSql()<[{ n: number; failed: number }]>`
      select count(*)::int as n, count(*) filter (where status = 'failed')::int as failed from operations
      where created_at >= ${window.from.toISOString()}::timestamptz and created_at < ${window.to.toISOString()}::timestamptz`;
    expect(expected.n).toBeGreaterThan(200);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(expected.n);
    const buckets = shapeStatusBuckets(window, rows);
    expect(buckets).toHaveLength(28);
    expect(buckets.reduce((n, b) => n + b.failed, 0)).toBe(expected.failed);
    expect(buckets.at(-1)!.running).toBe(1);
    // The INDEX that failed 70 minutes before "now" is in the last hour-bucket but one of the 24 h range.
    const day = shapeStatusBuckets((await operationsByStatus({ ctx, input: { range: "24h" }, now: NOW })).window, (await operationsByStatus({ ctx, input: { range: "24h" }, now: NOW })).rows);
    const bucketOfFailure = day.find((b) => Date.parse(b.from) <= seeded.failedIndex.createdAt.getTime() && seeded.failedIndex.createdAt.getTime() < Date.parse(b.to))!;
    expect(bucketOfFailure.failed).toBeGreaterThanOrEqual(1);
    expect(errorRate(day).find((p) => p.bucket === bucketOfFailure.bucket)!.rate).toBeGreaterThan(0);
  });

  it("gives p50 ≤ p95 per type, within each type's seeded bounds", async () => {
    const { rows } = await durationPercentiles({ ctx, input: { range: "7d" }, now: NOW });
    expect(rows.map((r) => r.type).sort()).toEqual(["APPEND", "BACKUP", "INDEX", "REINDEX", "SELF_TEST"]);
    for (const r of rows) expect(r.p50Ms).toBeLessThanOrEqual(r.p95Ms);
    const selfTest = rows.find((r) => r.type === "SELF_TEST")!;
    expect(selfTest.p95Ms).toBeGreaterThanOrEqual(2000);
    expect(selfTest.p95Ms).toBeLessThanOrEqual(4000);
  });

  it("sums the chunks of ingesting operations only", async () => {
    const { window, rows } = await ingestionThroughput({ ctx, input: { range: "7d" }, now: NOW });
    const [expected] = await getSql()<[{ chunks: number }]>`
      select coalesce(sum(m.chunks), 0)::float8 as chunks from operations o join operation_metrics m on m.operation_id = o.id
      where o.type in ('INDEX', 'APPEND', 'REINDEX', 'RESTORE') and o.finished_at >= ${window.from.toISOString()}::timestamptz and o.finished_at < ${window.to.toISOString()}::timestamptz`;
    expect(expected.chunks).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.chunks, 0)).toBe(expected.chunks);
  });

  it("draws each collection's size over time from the samples, growing", async () => {
    const { rows } = await collectionSizes({ ctx, input: { range: "7d" }, now: NOW });
    const tickets = rows.filter((r) => r.name.endsWith("support-tickets"));
    expect(tickets.length).toBeGreaterThanOrEqual(27);
    expect(tickets.at(-1)!.points).toBeGreaterThan(tickets[0]!.points);
    expect(new Set(rows.map((r) => r.collectionId))).toEqual(new Set(seeded.collections.map((c) => c.id)));
  });

  it("lists dead letters and backups' age, never backed up first", async () => {
    const mine = new Set(seeded.collections.map((c) => c.id));
    const dead = (await deadLettersByCollection({ ctx })).filter((r) => mine.has(r.collectionId));
    expect(dead).toEqual([{ collectionId: seeded.collections[1]!.id, name: seeded.collections[1]!.name, deadLetters: 5 }]);
    const ages = (await backupAges({ ctx })).filter((r) => mine.has(r.collectionId));
    expect(ages.map((r) => r.name)).toEqual([seeded.collections[2]!.name, seeded.collections[1]!.name, seeded.collections[0]!.name]);
    expect(ages[0]!.ageS).toBeNull();
  });

  it("loads the whole overview for every range", async () => {
    for (const range of ["1h", "24h", "7d", "30d"] as const) {
      const overview = await loadOverview({ ctx, range, now: NOW });
      expect(overview.statusBuckets.length).toBeGreaterThanOrEqual(12);
      expect(overview.statusBuckets.length).toBeLessThanOrEqual(30);
    }
  });

  it("refuses a caller without a role, and a range it does not know", async () => {
    const anonymous: ServiceContext = { ...ctx, actor: { ...ctx.actor, role: null } };
    await expect(operationsByStatus({ ctx: anonymous, input: {} })).rejects.toMatchObject({ code: "forbidden" });
    await expect(collectionSizes({ ctx: anonymous, input: {} })).rejects.toMatchObject({ code: "forbidden" });
    await expect(operationsByStatus({ ctx, input: { range: "1y" } })).rejects.toMatchObject({ code: "invalid" });
  });
});

import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { operationMetrics, operations, operationStageMetrics } from "@/db/schema/operations";
import { getLogger } from "@/lib/observability/logger";
import { StageTally } from "@/lib/observability/stage-tally";
import { recordStageTally } from "./stage-metrics";

async function newOperation(): Promise<string> {
  const [op] = await getDb().insert(operations).values({ type: "INDEX", status: "running", correlationId: randomUUID() }).returning({ id: operations.id });
  return op!.id;
}

const stagesOf = async (operationId: string) => Object.fromEntries((await getDb().select().from(operationStageMetrics).where(eq(operationStageMetrics.operationId, operationId))).map((r) => [r.stage, r]));

describe("recordStageTally", () => {
  it("adds each batch's stages and counters, and a replace keeps only the last run of a once-only stage", async () => {
    const id = await newOperation();
    for (let batch = 0; batch < 3; batch++) {
      const tally = new StageTally();
      tally.add("parse", 10, 20);
      tally.add("embed", 5, 100);
      tally.add("embed", 7, 100);
      tally.counters.bytesRead += 1000;
      tally.counters.embeddingCalls += 2;
      tally.usage.tokens += 50.4;
      await getDb().transaction((tx) => recordStageTally(tx, id, tally));
      expect(tally.empty).toBe(true);
    }
    const s = await stagesOf(id);
    expect(s.parse).toMatchObject({ totalMs: 30, calls: 3, items: 60 });
    expect(s.embed).toMatchObject({ totalMs: 36, calls: 6, items: 600 });
    const [m] = await getDb().select().from(operationMetrics).where(eq(operationMetrics.operationId, id));
    expect(m).toMatchObject({ bytesRead: 3000, bytesWritten: 0, embeddingCalls: 6, embeddingTokens: 150 });

    for (const ms of [400, 250]) {
      const tally = new StageTally();
      tally.add("validate", ms, 20);
      await recordStageTally(getDb(), id, tally, { replace: true });
    }
    expect((await stagesOf(id)).validate).toMatchObject({ totalMs: 250, calls: 1, items: 20 });
  });

  it("writes nothing for an empty tally, and rolls back with the batch's transaction", async () => {
    const id = await newOperation();
    await recordStageTally(getDb(), id, new StageTally());
    const tally = new StageTally();
    tally.add("store", 3, 9);
    await expect(
      getDb().transaction(async (tx) => {
        await recordStageTally(tx, id, tally);
        throw new Error("the batch failed");
      }),
    ).rejects.toThrow("the batch failed");
    expect(await stagesOf(id)).toEqual({});
  });

  // Issue 12's target is at most 1 ms per step. A step (one batch) here records what an INDEX batch
  // does, four stages and four counters, in one statement inside a transaction it already has. The
  // figure is logged beside a bare round trip's; the bound only catches a regression (a write per
  // document, a statement per stage), since a shared, loaded machine cannot hold a 1 ms line.
  it("costs one statement per batch", async () => {
    const id = await newOperation();
    const db = getDb();
    // Best of three rounds' medians: the machine is shared, and another process's burst is not this code's cost.
    const medians: number[] = [];
    const bareMedians: number[] = [];
    let p95 = 0;
    for (let round = 0; round < 3; round++) {
      const costs: number[] = [];
      const roundTrips: number[] = [];
      for (let i = 0; i < 100; i++) {
        await db.transaction(async (tx) => {
          const started = performance.now();
          const tally = new StageTally();
          tally.add("parse", 12.5, 20);
          tally.timeSync("chunk", 20, () => undefined);
          tally.add("embed", 40, 80);
          tally.add("store", 8, 80);
          tally.counters.bytesRead += 65_536;
          tally.countPointsWritten([{ vector: new Float32Array(384), payload: { text: "x".repeat(800) } }]);
          tally.counters.embeddingCalls++;
          tally.usage.tokens += 200;
          await recordStageTally(tx, id, tally);
          costs.push(performance.now() - started);
          const bare = performance.now();
          await tx.execute(sql`select 1`);
          roundTrips.push(performance.now() - bare);
        });
      }
      costs.sort((a, b) => a - b);
      medians.push(costs[costs.length >> 1]!);
      roundTrips.sort((a, b) => a - b);
      bareMedians.push(roundTrips[roundTrips.length >> 1]!);
      p95 = Math.max(p95, costs[Math.floor(costs.length * 0.95)]!);
    }
    const median = Math.min(...medians);
    getLogger().info({ median, medians, p95, bareRoundTrip: Math.min(...bareMedians) }, "stage figures: recording cost per batch (ms)");
    expect(median).toBeLessThan(Math.min(...bareMedians) + 5);
    expect((await stagesOf(id)).parse!.calls).toBe(300);
  });
});

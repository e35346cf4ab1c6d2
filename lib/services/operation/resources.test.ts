import { createHash, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { operationMetrics, operations } from "@/db/schema/operations";
import { finishOperation, recordCheckpoint } from "./progress";

const metricsOf = async (operationId: string) => (await getDb().select().from(operationMetrics).where(eq(operationMetrics.operationId, operationId)))[0];

/** Spends `ms` of this process's CPU time (not wall time: beside other test files a core is shared). */
function burnCpu(ms: number) {
  const used = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const until = used() + ms;
  let h = Buffer.alloc(32);
  while (used() < until) for (let i = 0; i < 1000; i++) h = createHash("sha256").update(h).digest();
}

describe("operation resource metrics", () => {
  it("add the process's CPU time between samples and keep the peak resident memory, through to the finish", async () => {
    const startedAt = new Date();
    const [op] = await getDb().insert(operations).values({ type: "SELF_TEST", status: "running", params: {}, correlationId: randomUUID(), startedAt }).returning();
    await recordCheckpoint(op!.id, "first", { status: "running" }); // baseline only
    expect(await metricsOf(op!.id)).toMatchObject({ cpuUserMs: 0, cpuSystemMs: 0, peakRssBytes: expect.any(Number) });

    burnCpu(300);
    await recordCheckpoint(op!.id, "first", { status: "succeeded" });
    const mid = await metricsOf(op!.id);
    expect(mid!.cpuUserMs! + mid!.cpuSystemMs!).toBeGreaterThanOrEqual(250);
    expect(mid!.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);

    burnCpu(200);
    // Wall time, measured here: process CPU time counts every thread (GC, libuv), so it can pass the wall clock.
    const elapsedBeforeFinish = Date.now() - startedAt.getTime();
    await finishOperation(op!.id, { status: "succeeded", result: {} });
    const end = await metricsOf(op!.id);
    expect(end!.cpuUserMs! + end!.cpuSystemMs!).toBeGreaterThanOrEqual(mid!.cpuUserMs! + mid!.cpuSystemMs! + 150);
    expect(end!.peakRssBytes).toBeGreaterThanOrEqual(mid!.peakRssBytes!);
    expect(end!.durationMs).toBeGreaterThanOrEqual(elapsedBeforeFinish);
  });
});

import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { operationMetrics } from "@/db/schema/operations";

// Per operation, this process's CPU time at its last sample (kept across dev hot reloads).
const lastSample = ((globalThis as { __stevedoreCpuSamples?: Map<string, NodeJS.CpuUsage> }).__stevedoreCpuSamples ??= new Map());

/**
 * Adds to an operation's metrics the CPU time this process used since the operation's previous
 * sample here, and raises its peak to this process's resident memory now. Called at its
 * checkpoints and progress updates, so both are figures for the process (all its threads) while
 * the operation ran, not for the operation alone: operations running side by side each count
 * the same time. A process's first sample of an operation (a step that moved here, or a restart)
 * only sets its baseline.
 */
export async function sampleResources(operationId: string, opts: { last?: boolean } = {}): Promise<void> {
  const now = process.cpuUsage();
  const before = lastSample.get(operationId);
  if (opts.last) lastSample.delete(operationId);
  else lastSample.set(operationId, now);
  const userMs = before ? Math.round((now.user - before.user) / 1000) : 0;
  const systemMs = before ? Math.round((now.system - before.system) / 1000) : 0;
  const rss = process.memoryUsage.rss();
  await getDb()
    .insert(operationMetrics)
    .values({ operationId, cpuUserMs: userMs, cpuSystemMs: systemMs, peakRssBytes: rss })
    .onConflictDoUpdate({
      target: operationMetrics.operationId,
      set: {
        cpuUserMs: sql`coalesce(${operationMetrics.cpuUserMs}, 0) + ${userMs}`,
        cpuSystemMs: sql`coalesce(${operationMetrics.cpuSystemMs}, 0) + ${systemMs}`,
        peakRssBytes: sql`greatest(${operationMetrics.peakRssBytes}, ${rss})`,
      },
    });
}

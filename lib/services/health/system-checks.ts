import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { getSql } from "@/db/client";
import { backupDir, dataPath, env } from "@/lib/env";
import type { ComponentCheck } from "./check-ready";

const gib = (n: number) => `${(n / 1024 ** 3).toFixed(n < 10 * 1024 ** 3 ? 2 : 1)} GiB`;

/** The data directories whose free disk health watches: label → path (lancedb only when vectors are stored here). */
export function dataDirectories(): Record<string, string> {
  const dirs: Record<string, string> = { data: dataPath(), backups: backupDir() };
  if (env().VECTOR_STORE === "lancedb") dirs.lancedb = dataPath("lancedb");
  return dirs;
}

/** Free bytes on the filesystem holding `dir`, measured at its nearest existing ancestor (nothing is created). */
async function freeBytesAt(dir: string): Promise<number> {
  let at = path.resolve(dir);
  for (;;) {
    try {
      const stats = await fs.statfs(at);
      return stats.bavail * stats.bsize;
    } catch (err) {
      const parent = path.dirname(at);
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || parent === at) throw err;
      at = parent;
    }
  }
}

/** Free bytes per data directory (label → bytes); a directory that cannot be measured is left out. */
export async function diskFreeByDir(): Promise<Record<string, number>> {
  const entries = await Promise.all(Object.entries(dataDirectories()).map(async ([label, dir]) => [label, await freeBytesAt(dir).catch(() => null)] as const));
  return Object.fromEntries(entries.filter((e): e is readonly [string, number] => e[1] !== null));
}

/**
 * Below the margin every operation keeps free (STEVEDORE_DISK_MARGIN_BYTES) nothing new can start:
 * unhealthy. Below twice the margin: degraded, as a warning while there is time to act.
 */
export async function diskChecks(): Promise<ComponentCheck[]> {
  const margin = env().STEVEDORE_DISK_MARGIN_BYTES;
  return Promise.all(
    Object.entries(dataDirectories()).map(async ([label, dir]): Promise<ComponentCheck> => {
      const name = `disk (${label})`;
      const started = performance.now();
      try {
        const free = await freeBytesAt(dir);
        const latencyMs = Math.round((performance.now() - started) * 10) / 10;
        if (free < margin) return { name, status: "unhealthy", latencyMs, message: `${gib(free)} free, below the ${gib(margin)} kept free: operations cannot start` };
        if (free < 2 * margin) return { name, status: "degraded", latencyMs, message: `${gib(free)} free, close to the ${gib(margin)} kept free` };
        return { name, status: "healthy", latencyMs, message: `${gib(free)} free` };
      } catch (err) {
        return { name, status: "unhealthy", latencyMs: Math.round(performance.now() - started), message: "cannot be measured", detail: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

export type MemoryFigures = { rssBytes: number; heapUsedBytes: number; heapLimitBytes: number; systemFreeBytes: number; systemTotalBytes: number };

export function memoryFigures(): MemoryFigures {
  const usage = process.memoryUsage();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, heapLimitBytes: v8.getHeapStatistics().heap_size_limit, systemFreeBytes: os.freemem(), systemTotalBytes: os.totalmem() };
}

/** This process's heap against its limit, and the machine's free memory: degraded past 85 % / under 5 %. */
export function memoryCheck(m: MemoryFigures = memoryFigures()): ComponentCheck {
  const heapShare = m.heapUsedBytes / m.heapLimitBytes;
  const freeShare = m.systemFreeBytes / m.systemTotalBytes;
  const figures = `rss ${gib(m.rssBytes)}, heap ${Math.round(heapShare * 100)} % of its limit, ${gib(m.systemFreeBytes)} free on the machine`;
  const strained = heapShare > 0.85 || freeShare < 0.05;
  return { name: "memory", status: strained ? "degraded" : "healthy", latencyMs: 0, message: strained ? `memory is short: ${figures}` : figures };
}

/** Runs due that no executor has claimed: how many, and how long the oldest has waited. */
export async function executorQueueFigures(): Promise<{ waiting: number; oldestWaitS: number }> {
  const [row] = await getSql()<[{ waiting: number; oldest: number }]>`
    select count(distinct run_id)::int as waiting, coalesce(extract(epoch from now() - min(run_at)), 0)::float8 as oldest
    from executor_queue where locked_by is null and run_at <= now()`;
  return { waiting: row.waiting, oldestWaitS: Math.round(row.oldest) };
}

/** Degraded when work has waited longer than STEVEDORE_HEALTH_EXECUTOR_WAIT_S for an executor to take it. */
export async function executorQueueCheck(): Promise<ComponentCheck> {
  const started = performance.now();
  const limit = env().STEVEDORE_HEALTH_EXECUTOR_WAIT_S;
  try {
    const { waiting, oldestWaitS } = await executorQueueFigures();
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    if (waiting === 0) return { name: "executor queue", status: "healthy", latencyMs, message: "no run waiting" };
    const message = `${waiting} run${waiting === 1 ? "" : "s"} waiting, the oldest for ${oldestWaitS} s`;
    return oldestWaitS > limit
      ? { name: "executor queue", status: "degraded", latencyMs, message: `${message} (over ${limit} s: is an executor running?)` }
      : { name: "executor queue", status: "healthy", latencyMs, message };
  } catch (err) {
    return { name: "executor queue", status: "unhealthy", latencyMs: Math.round(performance.now() - started), message: "cannot be read", detail: err instanceof Error ? err.message : String(err) };
  }
}

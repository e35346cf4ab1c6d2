import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "@/db/migrate";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { reloadEnv } from "@/lib/env";

/** A throwaway embedded PostgreSQL with the schema applied; DATABASE_URL points the app code at it. */
export async function benchDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-bench-"));
  await fs.chmod(dir, 0o755);
  const pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: path.join(dir, "postgres") });
  await applyMigrations(pg.url);
  process.env.DATABASE_URL = pg.url;
  process.env.LOG_LEVEL ??= "silent";
  reloadEnv();
  return {
    url: pg.url,
    stop: async () => {
      await pg.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Median of `runs` timings after one warm-up run. */
export async function medianMs(fn: () => Promise<unknown>, runs = 9): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeMs(fn));
  times.sort((a, b) => a - b);
  return round(times[Math.floor(times.length / 2)]!);
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

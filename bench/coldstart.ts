import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/lib/runtime/embedded-postgres";
import { round } from "./harness";

const TARGET_MS = 10_000;

function launch(dataDir: string, port: number): ChildProcess {
  return spawn("npm", ["start"], {
    env: { ...process.env, STEVEDORE_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn", STEVEDORE_ADMIN_PASSWORD: "bench-password-123" },
    stdio: "ignore",
    detached: true,
  });
}

async function untilReady(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health/ready`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

/** SIGTERM to the whole group, then wait for the launcher to release its lock (npm itself exits sooner). */
async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  process.kill(-child.pid!, "SIGTERM");
  const lock = path.join(dataDir, "launcher.lock");
  const deadline = Date.now() + 60_000;
  while (await fs.stat(lock).then(() => true, () => false)) {
    if (Date.now() > deadline) throw new Error("the launcher did not stop within 60 s");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `npm start` on an existing data dir (initialised, migrated, built) until /api/health/ready first
 * answers 200. The first start (initdb, first admin, maybe a build) is reported apart.
 */
export async function benchColdStart(): Promise<Record<string, unknown>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-coldstart-"));
  await fs.chmod(dir, 0o755);
  const port = await freePort();
  try {
    let start = performance.now();
    let child = launch(dir, port);
    await untilReady(port, 300_000);
    const firstStartMs = performance.now() - start;
    await stop(child, dir);

    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      start = performance.now();
      child = launch(dir, port);
      await untilReady(port, 60_000);
      samples.push(performance.now() - start);
      await stop(child, dir);
    }
    samples.sort((a, b) => a - b);
    return { bench: "coldstart", cold_start_ms: round(samples[1]!, 0), samples_ms: samples.map((s) => round(s, 0)), first_start_ms: round(firstStartMs, 0), target_ms: TARGET_MS };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

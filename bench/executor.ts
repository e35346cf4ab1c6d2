import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Inngest } from "inngest";
import pino from "pino";
import postgres from "postgres";
import { applyMigrations } from "@/db/migrate";
import { freePort, startEmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { startLocalExecutorThread } from "@/inngest/local-executor/thread";
import { callFunction } from "@/inngest/local-executor/call";
import { startAppServer } from "@/inngest/local-executor/test-support/app-server";

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

// The three no-op step bodies, shared by the executor runs and the in-process baseline.
const bodies = [() => 1, (a: number) => a + 1, (b: number) => b + 1];

/**
 * No-op 3-step runs through the local executor (on a thread of its own) and the real serve()
 * handler, in this process as `npm start` runs them. Step overhead = the gap between one step body ending and the next one
 * starting (executor + SDK + HTTP per step), measured idle, paced at the 50 runs/s target, and at
 * saturation; throughput is sustained saturation for `durationS`.
 */
export async function benchExecutor(opts: { durationS?: number; pacedS?: number; inFlight?: number; lanes?: number } = {}): Promise<Record<string, unknown>> {
  const durationS = opts.durationS ?? 60;
  const pacedS = opts.pacedS ?? 15;
  const inFlight = opts.inFlight ?? 64;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-bench-exec-"));
  await fs.chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "postgres") });
  try {
    await applyMigrations(pg.url);
    const port = await freePort();
    // Signed, as `npm start` runs it: the SDK verifies every call, the Event API checks its key.
    const keys = { signingKey: `signkey-bench-${randomBytes(32).toString("hex")}`, eventKey: randomBytes(16).toString("hex") };
    const client = new Inngest({ id: "bench", isDev: false, ...keys, baseUrl: `http://127.0.0.1:${port}`, logger: pino({ level: "silent" }) });
    const gaps: number[] = [];
    const lastEnd = new Map<string, number>();
    const mark = (runId: string, start: number) => {
      const prev = lastEnd.get(runId);
      if (prev !== undefined) gaps.push(start - prev);
    };
    let onThird: (() => void) | null = null;
    const fn = client.createFunction({ id: "noop-3", retries: 0, triggers: [{ event: "bench/noop" }] }, async ({ step, runId }) => {
      const a = await step.run("one", () => {
        mark(runId, performance.now());
        const v = bodies[0]!(0);
        lastEnd.set(runId, performance.now());
        return v;
      });
      const b = await step.run("two", () => {
        mark(runId, performance.now());
        const v = bodies[1]!(a);
        lastEnd.set(runId, performance.now());
        return v;
      });
      const c = await step.run("three", () => {
        mark(runId, performance.now());
        const v = bodies[2]!(b);
        lastEnd.delete(runId);
        onThird?.();
        return v;
      });
      return c;
    });
    // 100 runs waiting for events of one name, then 100 such events sent at once.
    const waiter = client.createFunction({ id: "waiter", retries: 0, triggers: [{ event: "bench/wait" }] }, async ({ step }) => {
      const go = await step.waitForEvent("go", { event: "bench/go", match: "data.key", timeout: "5m" });
      return go ? go.data.key : null;
    });
    const app = await startAppServer(client, [fn, waiter]);
    const executorOptions = { databaseUrl: pg.url, appUrl: app.url, syncOnStart: false, lanes: opts.lanes ?? 16, logLevel: "warn", ...keys };
    const crashed = (err: Error) => {
      throw err;
    };
    const executor = await startLocalExecutorThread({ ...executorOptions, port }, crashed);
    await executor.sync();
    const sql = postgres(pg.url, { max: 2, onnotice: () => undefined });
    const completed = async () => (await sql<{ n: number }[]>`select count(*)::int as n from executor_runs where status = 'completed'`)[0]!.n;

    // Warm-up (JIT, connection pools), not measured.
    await client.send(Array.from({ length: 100 }, () => ({ name: "bench/noop", data: {} })));
    while ((await completed()) < 100) await new Promise((r) => setTimeout(r, 50));
    gaps.length = 0;

    // Idle overhead: one run at a time, nothing else competing.
    for (let i = 0; i < 100; i++) {
      const third = new Promise<void>((resolve) => (onThird = resolve));
      await client.send({ name: "bench/noop", data: {} });
      await third;
      await new Promise((r) => setTimeout(r, 5));
    }
    onThird = null;
    const idleGaps = [...gaps].sort((x, y) => x - y);
    gaps.length = 0;

    // Paced at the target rate: one run started every 20 ms.
    const p0 = performance.now();
    let paced = 0;
    while (performance.now() - p0 < pacedS * 1000) {
      await client.send({ name: "bench/noop", data: {} });
      paced++;
      const nextAt = p0 + paced * 20;
      await new Promise((r) => setTimeout(r, Math.max(0, nextAt - performance.now())));
    }
    const pacedRate = paced / ((performance.now() - p0) / 1000);
    await new Promise((r) => setTimeout(r, 1000));
    const pacedGaps = [...gaps].sort((x, y) => x - y);
    gaps.length = 0;

    // Sustained load: keep `inFlight` runs queued or running, measure completions.
    const sustain = async (seconds: number) => {
      const startCompleted = await completed();
      let sent = 0;
      const t0 = performance.now();
      const deadline = t0 + seconds * 1000;
      while (performance.now() < deadline) {
        const done = (await completed()) - startCompleted;
        const want = inFlight - (sent - done);
        if (want > 0) {
          const batch = Array.from({ length: Math.min(want, 50) }, () => ({ name: "bench/noop", data: {} }));
          await client.send(batch);
          sent += batch.length;
        } else {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      const elapsed = (performance.now() - t0) / 1000;
      const n = (await completed()) - startCompleted;
      // Let what is in flight finish, so the next phase starts from an empty queue.
      while ((await completed()) < startCompleted + sent) await new Promise((r) => setTimeout(r, 20));
      return { elapsedS: elapsed, runs: n };
    };
    const { elapsedS, runs } = await sustain(durationS);
    const loaded = [...gaps].sort((x, y) => x - y);
    const failed = (await sql<{ n: number }[]>`select count(*)::int as n from executor_runs where status = 'failed'`)[0]!.n;

    // waitForEvent under a burst: the time from sending 100 events at once until the 100 runs waiting for them completed.
    const waiting = 100;
    await client.send(Array.from({ length: waiting }, (_, i) => ({ name: "bench/wait", data: { key: `k${i}` } })));
    const pauses = async () => (await sql<{ n: number }[]>`select count(*)::int as n from executor_pauses where event_name = 'bench/go'`)[0]!.n;
    while ((await pauses()) < waiting) await new Promise((r) => setTimeout(r, 20));
    const waitersDone = async () => (await sql<{ n: number }[]>`select count(*)::int as n from executor_runs where function_id = 'bench-waiter' and status = 'completed'`)[0]!.n;
    const burstAt = performance.now();
    await Promise.all(Array.from({ length: waiting }, (_, i) => client.send({ name: "bench/go", data: { key: `k${i}` } })));
    while ((await waitersDone()) < waiting) await new Promise((r) => setTimeout(r, 10));
    const burstMs = performance.now() - burstAt;

    // Two executors on one database (two replicas' executors), both claiming from the same queue.
    const second = await startLocalExecutorThread({ ...executorOptions, port: 0 }, crashed);
    const two = await sustain(Math.max(5, durationS / 2));
    await second.stop();
    await executor.stop();

    // The SDK's own share: one call to the handler (memo of the first step, run the second), no executor.
    const [memoRow] = await sql<{ hash: string; memo: { type: "data"; data: unknown } }[]>`select hash, memo from executor_steps where step_id = 'one' limit 1`;
    const sdkTimes: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t = performance.now();
      await callFunction({
        runtimeUrl: `${app.url}?fnId=bench-noop-3&stepId=step`,
        stepId: null,
        event: { name: "bench/noop", data: {} },
        steps: { [memoRow!.hash]: memoRow!.memo },
        stack: [memoRow!.hash],
        runId: `sdk-only-${i}`,
        attempt: 0,
        maxAttempts: 1,
        disableImmediate: false,
        timeoutMs: 5000,
        signingKey: keys.signingKey,
      });
      sdkTimes.push(performance.now() - t);
    }
    sdkTimes.sort((x, y) => x - y);
    await app.close();
    await sql.end({ timeout: 5 });

    // Baseline: the same step bodies called directly, no executor, no HTTP, no database.
    let direct = 0;
    const d0 = performance.now();
    while (performance.now() - d0 < 1000) {
      for (let i = 0; i < 1000; i++) {
        await Promise.resolve(bodies[2]!(bodies[1]!(bodies[0]!(0))));
        direct++;
      }
    }
    const directPerS = direct / ((performance.now() - d0) / 1000);

    return {
      bench: "executor",
      duration_s: round(elapsedS, 1),
      in_flight: inFlight,
      runs,
      failed_runs: failed,
      runs_per_s: round(runs / elapsedS, 1),
      two_executor_runs_per_s: round(two.runs / two.elapsedS, 1),
      // At the target rate (50 runs/s offered); saturated figures include queueing for CPU.
      step_overhead_p50_ms: round(percentile(pacedGaps, 50)),
      step_overhead_p95_ms: round(percentile(pacedGaps, 95)),
      paced_runs_per_s: round(pacedRate, 1),
      step_overhead_idle_p50_ms: round(percentile(idleGaps, 50)),
      step_overhead_idle_p95_ms: round(percentile(idleGaps, 95)),
      step_overhead_saturated_p50_ms: round(percentile(loaded, 50)),
      step_overhead_saturated_p95_ms: round(percentile(loaded, 95)),
      sdk_call_p50_ms: round(percentile(sdkTimes, 50)),
      wait_burst_resume_ms: Math.round(burstMs),
      direct_runs_per_s: Math.round(directPerS),
      targets: { runs_per_s: 100, step_overhead_p50_ms: 5, wait_burst_resume_ms: 2000 },
    };
  } finally {
    await pg.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/lib/runtime/embedded-postgres";
import { startScriptDefaults } from "@/lib/runtime/start-defaults";
import { writeCorpus } from "./corpus";
import { round } from "./harness";
import { rawIngest } from "./raw-ingest";

const DOCUMENTS = 10_000;
export const ADMIN = { email: "bench@bench.test", password: "bench-password-123" };

export function rssMb(pid: number): Promise<number> {
  return fs.readFile(`/proc/${pid}/status`, "utf8").then(
    (s) => Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024,
    () => 0,
  );
}

export async function signedInFetch(base: string) {
  let cookie = "";
  const call = async (p: string, init: RequestInit = {}) => {
    // Same-origin, as a browser sends it: cookie-authenticated mutations need the Origin header.
    const res = await fetch(base + p, { ...init, headers: { ...(init.headers as Record<string, string>), cookie, origin: base }, redirect: "manual" });
    const set = res.headers.getSetCookie();
    if (set.length) cookie = [...cookie.split("; ").filter(Boolean), ...set.map((c) => c.split(";")[0]!)].join("; ");
    return res;
  };
  const { csrfToken } = (await (await call("/api/auth/csrf")).json()) as { csrfToken: string };
  await call("/api/auth/callback/credentials", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password, json: "true" }) });
  return call;
}

/** The console as `npm start` runs it, on a fresh data dir, its RSS sampled; resolves once it is ready. */
export async function startBenchConsole(dir: string, sourceRoot: string, sampleMs = 200) {
  const port = await freePort();
  // Its warnings and errors, kept for a failed run (an operation's error names only a correlation id).
  const logPath = `${dir}.console.log`;
  const log = await fs.open(logPath, "a");
  process.on("exit", (code) => void (code && process.stderr.write(`the console's log: ${logPath}\n`)));
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...startScriptDefaults(), ...process.env, STEVEDORE_DATA_DIR: path.join(dir, "data"), PORT: String(port), STEVEDORE_SOURCE_ROOTS: sourceRoot, STEVEDORE_ADMIN_EMAIL: ADMIN.email, STEVEDORE_ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: "warn" },
    stdio: ["ignore", log.fd, log.fd],
  });
  const memory = { rss: 0, peak: 0 };
  const sampler = setInterval(() => void rssMb(child.pid!).then((mb) => ((memory.rss = mb), (memory.peak = Math.max(memory.peak, mb)))), sampleMs);
  const stop = async () => {
    clearInterval(sampler);
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await log.close();
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/api/health/ready`).then((r) => r.status, () => 0)) === 200) break;
      if (i > 1200) throw new Error("console did not start");
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, memory, stop };
}

type RunPage = { data: { runs: Array<{ usage: { steps: number; stateBytes: number; maxStepOutputBytes: number; eventBytes: number } }>; nextCursor: string | null } };

/** The largest use of Inngest's limits by any run of an operation (as the executor recorded it). */
export async function operationRunUsage(call: Awaited<ReturnType<typeof signedInFetch>>, operationId: string) {
  const max = { runs: 0, steps: 0, stateBytes: 0, stepOutputBytes: 0, eventBytes: 0 };
  for (let cursor: string | null = ""; cursor !== null; ) {
    const page = (await (await call(`/api/v1/runs?operationId=${operationId}&limit=200${cursor ? `&cursor=${cursor}` : ""}`)).json()) as RunPage;
    for (const { usage } of page.data.runs) {
      max.runs++;
      max.steps = Math.max(max.steps, usage.steps);
      max.stateBytes = Math.max(max.stateBytes, usage.stateBytes);
      max.stepOutputBytes = Math.max(max.stepOutputBytes, usage.maxStepOutputBytes);
      max.eventBytes = Math.max(max.eventBytes, usage.eventBytes);
    }
    cursor = page.data.nextCursor;
  }
  return max;
}

/**
 * INDEX of 10,000 generated markdown documents (~20 MB) through the real console (`npm start`:
 * executor, pipeline functions, PostgreSQL, LanceDB, built-in embedder), against the same
 * parse + chunk + embed + upsert done in one direct loop with the same batch sizes.
 */
export async function benchIngest(): Promise<Record<string, unknown>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-ingest-"));
  await fs.chmod(dir, 0o755);
  const corpus = path.join(dir, "corpus");
  const { bytes } = await writeCorpus(corpus, DOCUMENTS);
  const server = await startBenchConsole(dir, corpus);
  try {
    const { base } = server;
    const call = await signedInFetch(base);
    const started = Date.now();
    const created = await call("/api/v1/collections", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "bench", source: { kind: "directory", name: "corpus", path: corpus } }) });
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
    const { data } = (await created.json()) as { data: { operationId: string } };
    let op: { status: string; result: Record<string, number> | null; error: string | null; finishedAt: string | null };
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      op = ((await (await call(`/api/v1/operations/${data.operationId}`)).json()) as { data: { operation: typeof op } }).data.operation;
      if (!["queued", "running", "waiting"].includes(op.status)) break;
    }
    // From the request to the operation's own finish time (same machine, same clock), so the poll interval adds nothing.
    const seconds = (Date.parse(op.finishedAt!) - started) / 1000;
    if (op.status !== "succeeded") throw new Error(`INDEX ended ${op.status}: ${op.error}`);
    const docsPerS = DOCUMENTS / seconds;
    const usage = await operationRunUsage(call, data.operationId);
    const raw = await rawIngest(corpus, path.join(dir, "raw-lancedb"));
    return {
      bench: "ingest",
      documents: DOCUMENTS,
      mb: round(bytes / 1048576),
      chunks: op.result?.chunks,
      points: op.result?.points,
      seconds: round(seconds),
      docs_per_s: round(docsPerS),
      chunks_per_s: round((op.result?.chunks ?? 0) / seconds),
      raw_docs_per_s: round(raw.docsPerS),
      ratio: round(docsPerS / raw.docsPerS, 2),
      peak_rss_mb: Math.round(server.memory.peak),
      runs: usage.runs,
      max_steps_per_run: usage.steps,
      max_step_output_bytes: usage.stepOutputBytes,
      max_run_state_bytes: usage.stateBytes,
      max_event_bytes: usage.eventBytes,
      targets: { docs_per_s: 1000, ratio: 0.8, peak_rss_mb: 1024, max_steps_per_run: 1000, max_step_output_bytes: 4 * 1024 * 1024 },
    };
  } finally {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

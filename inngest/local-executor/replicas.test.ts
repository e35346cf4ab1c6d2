import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Inngest } from "inngest";
import pino from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../lib/runtime/embedded-postgres";
import { startAppServer, waitFor, type AppServer } from "./test-support/app-server";
import { testDatabaseUrl } from "@/db/test/database";

const RUNS = Number(process.env.REPLICA_RUNS ?? 400);
const STEPS = 10;
const LIMIT = 5;
const MAIN = path.resolve(__dirname, "main.ts");
const SIGNING_KEY = `signkey-test-${"ab".repeat(32)}`;
const EVENT_KEY = "replicas-test-event-key";

/**
 * Two console replicas (two serve() endpoints of one app) and two executor processes on one
 * database, each executor calling its own replica. One executor is SIGKILLed mid-way: its leases
 * run out and the other takes its work over. Effects are keyed by (run, step), so each lands once.
 */
describe("local executor: two executors on one database", () => {
  const databaseUrl = testDatabaseUrl();
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => undefined });
  const apps: AppServer[] = [];
  const callsPerApp = [0, 0];
  const children: ChildProcess[] = [];
  let executing = 0;
  let maxExecuting = 0;

  const ports: number[] = [];

  async function startExecutor(appUrl: string, port: number): Promise<{ proc: ChildProcess; url: string }> {
    const proc = spawn(process.execPath, ["--import", "tsx", MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        STEVEDORE_APP_URL: appUrl,
        PORT: String(port),
        LOG_LEVEL: "warn",
        INNGEST_SIGNING_KEY: SIGNING_KEY,
        INNGEST_EVENT_KEY: EVENT_KEY,
        INNGEST_LOCAL_RETRY_BASE_MS: "50",
        INNGEST_LOCAL_LEASE_MS: "1500",
        INNGEST_LOCAL_LANES: "8",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(proc);
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      proc.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const line = out.split("\n").find((l) => l.includes('"ready":true'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      proc.once("exit", (code) => reject(new Error(`executor exited early (code ${code})`)));
    });
    return { proc, url };
  }

  beforeAll(async () => {
    await sql`create table if not exists replica_effects (run_id text not null, step text not null, primary key (run_id, step))`;
    await sql`create table if not exists replica_executions (id serial primary key, run_id text not null, step text not null)`;
    for (let replica = 0; replica < 2; replica++) {
      // Each replica's SDK reports checkpoints to its own executor, as INNGEST_API_BASE_URL would say.
      ports.push(await freePort());
      const client = new Inngest({ id: "exec-replicas", isDev: false, signingKey: SIGNING_KEY, eventKey: EVENT_KEY, baseUrl: `http://127.0.0.1:${ports[replica]}`, logger: pino({ level: "silent" }) });
      const fn = client.createFunction({ id: "ten-steps", concurrency: { limit: LIMIT }, triggers: [{ event: "replicas/start" }] }, async ({ step, runId }) => {
        for (let i = 0; i < STEPS; i++) {
          await step.run(`effect-${i}`, async () => {
            callsPerApp[replica]!++;
            maxExecuting = Math.max(maxExecuting, ++executing);
            try {
              await sql`insert into replica_executions (run_id, step) values (${runId}, ${`effect-${i}`})`;
              await sql`insert into replica_effects (run_id, step) values (${runId}, ${`effect-${i}`}) on conflict do nothing`;
            } finally {
              executing--;
            }
            return i;
          });
        }
        return "done";
      });
      apps.push(await startAppServer(client, [fn]));
    }
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await Promise.all(apps.map((a) => a.close()));
    await sql.end({ timeout: 5 });
  });

  it("completes every run with each step's effect once and never more than the concurrency limit, through a SIGKILL", { timeout: 180_000 }, async () => {
    const first = await startExecutor(apps[0]!.url, ports[0]!);
    const second = await startExecutor(apps[1]!.url, ports[1]!);
    await waitFor(async () => (await sql`select 1 from executor_functions where id = 'exec-replicas-ten-steps'`).length > 0, 20_000, "the app to be synced");

    const startedAt = Date.now();
    for (let i = 0; i < RUNS; i += 100) {
      const events = Array.from({ length: 100 }, (_, j) => ({ name: "replicas/start", data: { n: i + j } }));
      const res = await fetch(`${first.url}/e/${EVENT_KEY}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(events) });
      expect(res.status).toBe(200);
    }
    const completed = async () => (await sql<{ n: number }[]>`select count(*)::int as n from executor_runs where function_id = 'exec-replicas-ten-steps' and status = 'completed'`)[0]!.n;
    await waitFor(async () => (await completed()) >= RUNS * 0.3, 120_000, "30 % of the runs");
    await new Promise<void>((resolve) => {
      first.proc.once("exit", () => resolve());
      first.proc.kill("SIGKILL");
    });
    const callsBeforeKill = [...callsPerApp];

    await waitFor(async () => (await completed()) === RUNS, 150_000, "every run to complete");
    console.log(`two executors: ${RUNS} runs of ${STEPS} steps in ${Date.now() - startedAt} ms, calls per replica ${callsPerApp.join(" / ")}, max executing ${maxExecuting}`);

    const [effects] = await sql<{ n: number; runs: number }[]>`select count(*)::int as n, count(distinct run_id)::int as runs from replica_effects`;
    expect(effects).toEqual({ n: RUNS * STEPS, runs: RUNS });
    const [executions] = await sql<{ n: number }[]>`select count(*)::int as n from replica_executions`;
    expect(executions!.n).toBeGreaterThanOrEqual(RUNS * STEPS);
    expect(maxExecuting).toBeLessThanOrEqual(LIMIT);
    expect(maxExecuting).toBe(LIMIT); // the limit was reached, so the bound above says something
    // Each executor called its own replica: both worked before the kill, the survivor after it.
    expect(callsBeforeKill[0]).toBeGreaterThan(0);
    expect(callsBeforeKill[1]).toBeGreaterThan(0);
    expect(callsPerApp[1]).toBeGreaterThan(callsBeforeKill[1]!);
    const stuck = await sql`select 1 from executor_queue q join executor_runs r on r.id = q.run_id where r.function_id = 'exec-replicas-ten-steps'`;
    expect(stuck).toHaveLength(0);
    second.proc.kill("SIGTERM");
  });
});

import type { ChildProcess } from "node:child_process";
import { Inngest } from "inngest";
import pino from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../lib/runtime/embedded-postgres";
import { startAppServer, waitFor, type AppServer } from "./test-support/app-server";
import { TEST_EVENT_KEY, TEST_SIGNING_KEY } from "./test-support/harness";
import { killProcess, spawnExecutorProcess } from "./test-support/executor-process";
import { testDatabaseUrl } from "@/db/test/database";

const STEPS = 20;
const KILLS = 3;

/**
 * The executor runs in its own process (as `tsx main.ts`) and is SIGKILLed three times mid-run.
 * Each step's side effect is keyed by (run, step) under a unique constraint, so it lands once; the
 * executions table counts every time a step body ran, to prove completed steps never re-ran.
 */
describe("local executor: crash and resume", () => {
  const databaseUrl = testDatabaseUrl();
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => undefined });
  let app: AppServer;
  let port: number;
  let child: ChildProcess | null = null;
  let client: Inngest.Any;

  async function startExecutor(): Promise<void> {
    child = await spawnExecutorProcess({ DATABASE_URL: databaseUrl, INNGEST_LOCAL_APP_URL: app.url, PORT: String(port), INNGEST_LOCAL_RETRY_BASE_MS: "50", INNGEST_LOCAL_LEASE_MS: "1500", INNGEST_SIGNING_KEY: TEST_SIGNING_KEY, INNGEST_EVENT_KEY: TEST_EVENT_KEY });
  }

  function kill(): Promise<void> {
    const proc = child;
    child = null;
    return killProcess(proc);
  }

  beforeAll(async () => {
    await sql`create table if not exists crash_effects (run_id text not null, step text not null, primary key (run_id, step))`;
    await sql`create table if not exists crash_executions (id serial primary key, run_id text not null, step text not null)`;
    port = await freePort();
    client = new Inngest({ id: "exec-crash", isDev: false, signingKey: TEST_SIGNING_KEY, eventKey: TEST_EVENT_KEY, baseUrl: `http://127.0.0.1:${port}`, logger: pino({ level: "silent" }) });
    const fn = client.createFunction({ id: "twenty-steps", triggers: [{ event: "crash/start" }] }, async ({ step, runId }) => {
      let total = 0;
      for (let i = 0; i < STEPS; i++) {
        total += await step.run(`effect-${i}`, async () => {
          await sql`insert into crash_executions (run_id, step) values (${runId}, ${`effect-${i}`})`;
          await new Promise((r) => setTimeout(r, 60));
          await sql`insert into crash_effects (run_id, step) values (${runId}, ${`effect-${i}`}) on conflict do nothing`;
          return i;
        });
      }
      return { total };
    });
    app = await startAppServer(client, [fn]);
  });

  afterAll(async () => {
    await kill();
    await app?.close();
    await sql.end({ timeout: 5 });
  });

  it("completes a 20-step run after three SIGKILLs with every side effect applied exactly once", { timeout: 90_000 }, async () => {
    await startExecutor();
    const sync = await waitFor(
      async () => (await sql`select 1 from executor_functions where id = 'exec-crash-twenty-steps'`).length > 0,
      15_000,
      "the executor to sync the app",
    );
    expect(sync).toBe(true);
    const { ids } = await client.send({ name: "crash/start", data: {} });
    const [run] = await waitFor(async () => {
      const rows = await sql<{ id: string }[]>`select id from executor_runs where event_id = ${ids[0]!}`;
      return rows.length ? rows : undefined;
    });
    const runId = run!.id;
    const effects = async () => (await sql<{ n: number }[]>`select count(*)::int as n from crash_effects where run_id = ${runId}`)[0]!.n;

    for (let k = 1; k <= KILLS; k++) {
      const threshold = k * 5;
      await waitFor(async () => (await effects()) >= threshold, 30_000, `${threshold} effects`);
      await kill();
      const statusAtKill = await sql`select status from executor_runs where id = ${runId}`;
      expect(statusAtKill[0]?.status).toBe("running");
      await startExecutor();
    }

    const done = await waitFor(async () => {
      const [row] = await sql<{ status: string; output: unknown }[]>`select status, output from executor_runs where id = ${runId}`;
      return row && ["completed", "failed"].includes(row.status) ? row : undefined;
    }, 60_000, "the run to finish");
    expect(done).toMatchObject({ status: "completed", output: { total: (STEPS * (STEPS - 1)) / 2 } });

    const perStep = await sql<{ step: string; n: number }[]>`select step, count(*)::int as n from crash_effects where run_id = ${runId} group by step`;
    expect(perStep).toHaveLength(STEPS);
    expect(perStep.every((r) => r.n === 1)).toBe(true);
    // A step executing at a kill may run again (at-least-once); a memoized step never does.
    const executions = (await sql<{ n: number }[]>`select count(*)::int as n from crash_executions where run_id = ${runId}`)[0]!.n;
    console.log(`crash test: ${executions} step executions for ${STEPS} steps across ${KILLS} kills`);
    expect(executions).toBeGreaterThanOrEqual(STEPS);
    expect(executions).toBeLessThanOrEqual(STEPS + KILLS);
    const memoized = await sql`select count(*)::int as n from executor_steps where run_id = ${runId} and done`;
    expect(memoized[0]?.n).toBe(STEPS);
  });
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest } from "inngest";
import pino from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../lib/runtime/embedded-postgres";
import { startLocalExecutor } from "./index";
import { startAppServer, waitFor, type AppServer } from "./test-support/app-server";
import { startHarness, type Harness } from "./test-support/harness";
import { testDatabaseUrl } from "@/db/test/database";

const WAITERS = 100;

describe("local executor: waitForEvent under a burst of events", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      databaseUrl: testDatabaseUrl(),
      appId: "exec-burst",
      executor: { lanes: 16 },
      functions: (client) => [
        client.createFunction({ id: "waiter", triggers: [{ event: "b/start" }] }, async ({ step }) => {
          const go = await step.waitForEvent("go", { event: "b/go", match: "data.key", timeout: "2m" });
          return go ? go.data.key : null;
        }),
      ],
    });
  });
  afterAll(async () => h?.close());

  it("resumes every waiting run when events of one name arrive together", async () => {
    const keys = Array.from({ length: WAITERS }, (_, i) => `k${i}`);
    const { ids } = await h.client.send(keys.map((key) => ({ name: "b/start", data: { key } })));
    const runIds = (await h.sql<{ id: string }[]>`select id from executor_runs where event_id = any(${ids}::uuid[])`).map((r) => r.id);
    expect(runIds).toHaveLength(WAITERS);
    await waitFor(async () => {
      const [row] = await h.sql<{ n: number }[]>`select count(*)::int as n from executor_pauses where run_id = any(${runIds}::uuid[])`;
      return row!.n === WAITERS;
    }, 30_000, "every run to wait");

    // One send per event, all at once: concurrent transactions, each matching the same set of pauses.
    const sentAt = Date.now();
    await Promise.all(keys.map((key) => h.client.send({ name: "b/go", data: { key } })));
    const done = await waitFor(async () => {
      const rows = await h.sql<{ status: string; output: string }[]>`select status, output from executor_runs where id = any(${runIds}::uuid[]) and status = 'completed'`;
      return rows.length === WAITERS ? rows : undefined;
    }, 20_000, "every run to resume");
    console.log(`waitForEvent burst: ${WAITERS} runs resumed ${Date.now() - sentAt} ms after ${WAITERS} events were sent`);
    // Each got its own event: none timed out (null), none took another's.
    expect(done.map((r) => r.output).sort()).toEqual([...keys].sort());
  });
});

describe("local executor: answers it cannot follow, functions it does not know", () => {
  const databaseUrl = testDatabaseUrl();
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => undefined });
  let fake: http.Server;
  let fakeUrl: string;

  beforeAll(async () => {
    // An app that answers every call with an op this executor has never heard of.
    fake = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(206, { "content-type": "application/json" }).end(JSON.stringify([{ id: "abc", op: "Teleport" }])));
    });
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/api/inngest`;
  });
  afterAll(async () => {
    fake.closeAllConnections();
    await new Promise((r) => fake.close(r));
    await sql.end({ timeout: 5 });
  });

  it("fails a run whose SDK answers with an unknown op, instead of leaving it running", async () => {
    const fnId = "exec-unknown-op-fn";
    const config = { id: fnId, name: fnId, triggers: [{ event: "u/start" }], steps: { step: { id: "step", runtime: { type: "http", url: `${fakeUrl}?fnId=${fnId}&stepId=step` } } } };
    await sql`insert into executor_functions (id, app_url, name, config) values (${fnId}, ${fakeUrl}, ${fnId}, ${sql.json(config)}) on conflict (id) do update set config = excluded.config, app_url = excluded.app_url`;
    const executor = await startLocalExecutor({ databaseUrl, appUrl: fakeUrl, syncOnStart: false, pollMs: 20, logger: pino({ level: "silent" }) });
    try {
      const res = await fetch(`${executor.url}/e/any`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "u/start", data: {} }) });
      expect(res.status).toBe(200);
      const run = await waitFor(async () => {
        const [row] = await sql<{ status: string; error: { name: string; message: string } }[]>`select status, error from executor_runs where function_id = ${fnId} and status in ('failed', 'completed')`;
        return row;
      }, 10_000, "the run to end");
      expect(run.status).toBe("failed");
      expect(run.error).toMatchObject({ name: "UnknownOpcode" });
      expect(run.error.message).toContain("Teleport");
    } finally {
      await executor.stop();
      await sql`delete from executor_functions where id = ${fnId}`;
    }
  });

  it("lets a run wait for its function during a rolling restart, and fails it only after the grace period", async () => {
    const port = await freePort();
    const client = new Inngest({ id: "exec-late", isDev: true, baseUrl: `http://127.0.0.1:${port}`, logger: pino({ level: "silent" }) });
    const late = client.createFunction({ id: "late", triggers: [{ event: "late/start" }] }, async ({ step }) => step.run("work", () => "ran"));
    const app: AppServer = await startAppServer(client, [late]);
    // Not synced yet: the executor knows neither function when their runs come due.
    const executor = await startLocalExecutor({ databaseUrl, appUrl: app.url, port, syncOnStart: false, pollMs: 20, missingFunctionGraceMs: 2_500, logger: pino({ level: "silent" }) });
    try {
      const runFor = async (functionId: string) => {
        const [run] = await sql<{ id: string }[]>`insert into executor_runs (function_id, event) values (${functionId}, ${sql.json({ name: "late/start", data: {} })}) returning id`;
        await sql`insert into executor_queue (run_id, kind) values (${run!.id}, 'call')`;
        return run!.id;
      };
      const lateRun = await runFor("exec-late-late");
      const ghostRun = await runFor("exec-late-never-deployed");
      await new Promise((r) => setTimeout(r, 800));
      const waiting = await sql<{ status: string }[]>`select status from executor_runs where id = ${lateRun}`;
      expect(waiting[0]!.status).not.toBe("failed");

      await executor.sync(); // the replica with the new code comes up
      const status = async (id: string) => (await sql<{ status: string; output: unknown; error: { name?: string } | null }[]>`select status, output, error from executor_runs where id = ${id}`)[0]!;
      const lateDone = await waitFor(async () => ((await status(lateRun)).status === "completed" ? status(lateRun) : undefined), 15_000, "the late function's run");
      expect(lateDone.output).toBe("ran");
      const ghost = await waitFor(async () => ((await status(ghostRun)).status === "failed" ? status(ghostRun) : undefined), 15_000, "the ghost run to fail");
      expect(ghost.error).toMatchObject({ name: "FunctionNotRegistered" });
    } finally {
      await executor.stop();
      await app.close();
    }
  });
});

describe("local executor: stopping with calls in flight", () => {
  const started = new Set<string>();
  const harness = (appId: string, stopGraceMs: number) =>
    startHarness({
      databaseUrl: testDatabaseUrl(),
      appId,
      executor: { stopGraceMs },
      functions: (client) => [
        client.createFunction({ id: "slow", retries: 0, triggers: [{ event: `${appId}/start` }] }, async ({ step, runId }) => {
          await step.run("slow-step", async () => {
            started.add(runId);
            await new Promise((r) => setTimeout(r, 1_000));
            return "finished";
          });
          return step.run("after", () => "after");
        }),
      ],
    });
  const startSlowRun = async (h: Harness, appId: string) => {
    const { ids } = await h.client.send({ name: `${appId}/start`, data: {} });
    const [run] = await h.runsOfEvent(ids[0]!);
    await waitFor(async () => started.has(run!.id), 10_000, "the slow step to start");
    return run!.id;
  };

  it("waits for the call within the grace period, keeps its result and lets go of the rest", async () => {
    const h = await harness("exec-stop", 30_000);
    try {
      const runId = await startSlowRun(h, "exec-stop");
      await h.executor.stop();
      const [step] = await h.sql<{ done: boolean; memo: unknown }[]>`select done, memo from executor_steps where run_id = ${runId} and step_id = 'slow-step'`;
      expect(step).toMatchObject({ done: true, memo: { type: "data", data: "finished" } });
      // The next step waits for whichever executor comes next, not held by the stopped one.
      const queue = await h.sql<{ locked_by: number | null }[]>`select locked_by from executor_queue where run_id = ${runId}`;
      expect(queue).toEqual([{ locked_by: null }]);
    } finally {
      await h.close();
    }
  });

  it("keeps the lease of a call still in flight when the grace period ends, so no one runs it twice at once", async () => {
    const h = await harness("exec-stop-short", 200);
    try {
      const runId = await startSlowRun(h, "exec-stop-short");
      await h.executor.stop();
      const [item] = await h.sql<{ locked_by: number | null; leased: boolean }[]>`
        select locked_by, lease_until > now() as leased from executor_queue where run_id = ${runId}`;
      expect(item!.locked_by).not.toBeNull();
      expect(item!.leased).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe("local executor: losing database connections mid-step", () => {
  let h: Harness;
  let executions = 0;
  beforeAll(async () => {
    h = await startHarness({
      databaseUrl: testDatabaseUrl(),
      appId: "exec-conn-drop",
      executor: { leaseMs: 600 },
      functions: (client) => [
        client.createFunction({ id: "long-step", retries: 0, triggers: [{ event: "d/start" }] }, async ({ step }) => {
          const n = await step.run("long", async () => {
            executions++;
            await new Promise((r) => setTimeout(r, 2_000));
            return executions;
          });
          return n;
        }),
      ],
    });
  });
  afterAll(async () => h?.close());

  it("keeps its claim through dropped connections: the step in flight is not handed out again", async () => {
    const { ids } = await h.client.send({ name: "d/start", data: {} });
    const [run] = await h.runsOfEvent(ids[0]!);
    await waitFor(async () => executions > 0, 10_000, "the step to start");
    // Every executor connection is cut three times while the step runs (a failover, a restarted pooler).
    for (let i = 0; i < 3; i++) {
      await h.sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'stevedore-executor' and datname = current_database()`;
      await new Promise((r) => setTimeout(r, 400));
    }
    const done = await h.waitForStatus(run!.id, ["completed", "failed"], 20_000);
    expect(done).toMatchObject({ status: "completed", output: 1 });
    expect(executions).toBe(1);
  });
});

import pino from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/runtime/embedded-postgres";
import { startLocalExecutor, type LocalExecutor } from "../local-executor";
import { getRun } from "../local-executor/queries";
import { startAppServer, waitFor, type AppServer } from "../local-executor/test-support/app-server";
import { TEST_EVENT_KEY, TEST_SIGNING_KEY } from "../local-executor/test-support/harness";
import { drizzle } from "drizzle-orm/postgres-js";
import { testDatabaseUrl } from "@/db/test/database";

/** The app's real client and function list, served and executed as `npm start` does: signed, in cloud mode. */
describe("run-self-test through the local executor", () => {
  const databaseUrl = testDatabaseUrl();
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => undefined });
  let app: AppServer;
  let executor: LocalExecutor;
  let client: typeof import("../client").inngest;
  let services: {
    startSelfTest: typeof import("@/lib/services/operation/start-self-test").startSelfTest;
    cancelOperation: typeof import("@/lib/services/operation/cancel").cancelOperation;
    getOperation: typeof import("@/lib/services/operation/list").getOperation;
  };
  let ctx: import("@/lib/services/context").ServiceContext;

  beforeAll(async () => {
    const port = await freePort();
    const executorUrl = `http://127.0.0.1:${port}`;
    delete process.env.INNGEST_DEV;
    Object.assign(process.env, { INNGEST_SIGNING_KEY: TEST_SIGNING_KEY, INNGEST_EVENT_KEY: TEST_EVENT_KEY, INNGEST_EVENT_API_BASE_URL: executorUrl, INNGEST_API_BASE_URL: executorUrl });
    client = (await import("../client")).inngest;
    services = {
      ...(await import("@/lib/services/operation/start-self-test")),
      ...(await import("@/lib/services/operation/cancel")),
      ...(await import("@/lib/services/operation/list")),
    };
    ctx = await (await import("@/db/test/factories")).actorContext("operator");
    const { functions } = await import("./index");
    app = await startAppServer(client, functions);
    executor = await startLocalExecutor({ databaseUrl, appUrl: app.url, port, signingKey: TEST_SIGNING_KEY, eventKey: TEST_EVENT_KEY, syncOnStart: false, retryBaseMs: 20, logger: pino({ level: "silent" }) });
    await executor.sync();
  });

  afterAll(async () => {
    await executor?.stop();
    await app?.close();
    await sql.end({ timeout: 5 });
  });

  it("runs its steps, sleeps, retries the flaky step once, and records every checkpoint on its operation", async () => {
    const operation = await services.startSelfTest({ ctx });
    const run = await waitFor(async () => (await sql<{ id: string }[]>`select id from executor_runs where event->'data'->>'operationId' = ${operation.id}`)[0], 5_000);
    const done = await waitFor(async () => {
      const [row] = await sql<{ status: string; output: Record<string, unknown> }[]>`select status, output from executor_runs where id = ${run.id}`;
      return row && ["completed", "failed"].includes(row.status) ? row : undefined;
    }, 15_000);
    expect(done.status).toBe("completed");
    expect(done.output).toMatchObject({ operationId: operation.id, checks: ["steps", "sleep", "retry"], retriedStepAttempts: 2 });
    expect(done.output.durationMs as number).toBeGreaterThanOrEqual(2000);
    const detail = await getRun(drizzle(sql), run.id);
    expect(detail?.steps.map((s) => [s.stepId, s.status, s.attempts])).toEqual([
      ["record-start", "completed", 1],
      ["echo-event", "completed", 1],
      ["pause", "completed", 0],
      ["flaky-check", "completed", 2],
      ["record-finish", "completed", 1],
    ]);
    const op = await services.getOperation({ ctx, input: { operationId: operation.id } });
    expect(op.operation).toMatchObject({ status: "succeeded", progress: { done: 5, total: 5 }, result: { retriedStepAttempts: 2 } });
    expect(op.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ["record-start", "succeeded", 1],
      ["echo-event", "succeeded", 1],
      ["pause", "succeeded", 1],
      ["flaky-check", "succeeded", 2],
      ["record-finish", "succeeded", 1],
    ]);
    expect(op.metrics?.durationMs).toBeGreaterThanOrEqual(2000);
    const audit = await sql<{ action: string; outcome: string }[]>`select action, outcome from audit_log where target_id = ${operation.id}`;
    expect(audit).toEqual([{ action: "operation.start", outcome: "success" }]);
  });

  it("is cancelled through its operation: the run stops and the operation says who cancelled it", async () => {
    const operation = await services.startSelfTest({ ctx });
    const run = await waitFor(async () => (await sql<{ id: string }[]>`select id from executor_runs where event->'data'->>'operationId' = ${operation.id} and status = 'sleeping'`)[0], 10_000);
    await services.cancelOperation({ ctx, input: { operationId: operation.id } });
    await waitFor(async () => (await sql`select 1 from executor_runs where id = ${run.id} and status = 'cancelled'`).length > 0, 5_000);
    const op = await services.getOperation({ ctx, input: { operationId: operation.id } });
    expect(op.operation).toMatchObject({ status: "cancelled", error: `Cancelled by ${ctx.actor.email}` });
    expect(op.steps.map((s) => s.name)).not.toContain("record-finish");
    const audit = await sql<{ action: string }[]>`select action from audit_log where target_id = ${operation.id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(["operation.start", "operation.cancel"]);
  });
});

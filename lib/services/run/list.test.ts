import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { actorContext, createTestUser } from "@/db/test/factories";
import { apiRequest, noParams, params, signedInCookie, setTestAuthEnv } from "@/lib/auth/test-support/session-cookie";
import { GET as listRunsRoute } from "@/app/api/v1/runs/route";
import { GET as getRunRoute } from "@/app/api/v1/runs/[id]/route";
import { getExecutorRun, listExecutorRuns } from "./list";

setTestAuthEnv();

const STACK = "TypeError: boom\n    at readSource (/srv/stevedore/lib/pipeline/read.ts:41:13)\n    at process (/srv/stevedore/.next/server/chunks/123.js:9:1)";
const fn = `list-test-fn-${Date.now()}`;

describe("runs as clients see them", () => {
  let runId: string;
  beforeAll(async () => {
    const error = { name: "TypeError", message: "boom", stack: STACK, cause: { name: "Error", message: "inner", stack: STACK } };
    const rows = await getDb().execute<{ id: string }>(sql`
      insert into executor_runs (function_id, event, status, error, output)
      values (${fn}, '{"name":"t/ev","data":{}}', 'failed', ${JSON.stringify(error)}::jsonb, ${JSON.stringify({ error })}::jsonb)
      returning id`);
    runId = rows[0]!.id;
    await getDb().execute(sql`
      insert into executor_steps (run_id, hash, step_id, name, op, status, attempts, done, position, error)
      values (${runId}, 'h1', 'read', 'read', 'StepRun', 'failed', 4, true, 0, ${JSON.stringify(error)}::jsonb)`);
  });

  it("the service gives every role the error's class and message, never its stack", async () => {
    for (const role of ["viewer", "admin"] as const) {
      const ctx = await actorContext(role);
      const page = await listExecutorRuns({ ctx, input: { functionId: fn, status: "failed" } });
      expect(page.runs).toMatchObject([{ id: runId, error: { name: "TypeError", message: "boom" } }]);
      const run = await getExecutorRun({ ctx, input: { runId } });
      expect(run.error).toEqual({ name: "TypeError", message: "boom" });
      expect(run.steps[0]!.error).toEqual({ name: "TypeError", message: "boom" });
      expect(JSON.stringify([page, run])).not.toMatch(/stack|\/srv\/|\.ts:\d+/);
    }
  });

  it("GET /api/v1/runs?status=failed and /api/v1/runs/:id as a viewer carry no stack or server path", async () => {
    const viewer = await createTestUser("viewer");
    const { cookie } = await signedInCookie(viewer.email);
    const list = await listRunsRoute(apiRequest(`/api/v1/runs?status=failed&functionId=${fn}`, { cookie }), noParams);
    expect(list.status).toBe(200);
    const listText = await list.text();
    expect(JSON.parse(listText).data.runs[0].error).toEqual({ name: "TypeError", message: "boom" });
    const one = await getRunRoute(apiRequest(`/api/v1/runs/${runId}`, { cookie }), params({ id: runId }));
    expect(one.status).toBe(200);
    for (const text of [listText, await one.text()]) expect(text).not.toMatch(/stack|\/srv\/|\.ts:\d+/);
  });
});

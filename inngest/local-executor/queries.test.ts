import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRun, listRuns } from "./queries";
import { testDatabaseUrl } from "@/db/test/database";

describe("executor run queries", () => {
  const sql = postgres(testDatabaseUrl(), { max: 2, onnotice: () => undefined });
  const db = drizzle(sql);
  const fn = "queries-test-fn";
  let ids: string[] = [];

  beforeAll(async () => {
    // 7 runs one minute apart, alternating completed / failed, plus one run of another function.
    const rows = await sql<{ id: string }[]>`
      insert into executor_runs (function_id, event, status, created_at, error)
      select ${fn}, jsonb_build_object('name', 'q/ev', 'data', jsonb_build_object('i', g)),
             case when g % 2 = 0 then 'completed' else 'failed' end,
             timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute',
             case when g % 2 = 0 then null else jsonb_build_object('name', 'Error', 'message', 'm' || g) end
      from generate_series(1, 7) g
      returning id`;
    ids = rows.map((r) => r.id);
    await sql`insert into executor_runs (function_id, event, status) values ('queries-other-fn', '{"name":"q/other","data":{}}', 'completed')`;
    await sql`insert into executor_steps (run_id, hash, step_id, name, op, status, attempts, done, position, memo, ended_at)
              values (${ids[0]!}, 'h1', 'load', 'load', 'StepRun', 'completed', 2, true, 0, '{"type":"data","data":{"rows":3}}', now()),
                     (${ids[0]!}, 'h2', 'wait', 'wait', 'WaitForEvent', 'waiting', 0, false, null, null, null)`;
  });
  afterAll(async () => {
    await sql`delete from executor_steps where run_id = any(${ids}::uuid[])`;
    await sql`delete from executor_runs where function_id in (${fn}, 'queries-other-fn')`;
    await sql.end({ timeout: 5 });
  });

  it("pages newest first with a keyset cursor and no overlap", async () => {
    const first = await listRuns(db, { functionId: fn, limit: 3 });
    const second = await listRuns(db, { functionId: fn, limit: 3, cursor: first.nextCursor });
    const third = await listRuns(db, { functionId: fn, limit: 3, cursor: second.nextCursor });
    const all = [...first.runs, ...second.runs, ...third.runs];
    expect(all.map((r) => r.id)).toEqual([...ids].reverse());
    expect(third.nextCursor).toBeNull();
    expect(first.runs[0]).toMatchObject({ functionId: fn, status: "failed", eventName: "q/ev", error: { message: "m7" } });
  });

  it("filters by status and time window", async () => {
    const failed = await listRuns(db, { functionId: fn, status: "failed" });
    expect(failed.runs).toHaveLength(4);
    const window = await listRuns(db, { functionId: fn, from: new Date("2026-01-01T00:02:00Z"), to: new Date("2026-01-01T00:04:00Z") });
    expect(window.runs.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const both = await listRuns(db, { functionId: fn, status: ["failed", "completed"], limit: 100 });
    expect(both.runs).toHaveLength(7);
  });

  it("returns a run with its steps, outputs and attempts", async () => {
    const run = await getRun(db, ids[0]!);
    expect(run?.steps.map((s) => [s.stepId, s.status, s.attempts, s.output])).toEqual([
      ["load", "completed", 2, { rows: 3 }],
      ["wait", "waiting", 0, null],
    ]);
    expect(await getRun(db, "00000000-0000-0000-0000-000000000000")).toBeNull();
  });

  it("pages exactly through runs created within the same millisecond, and finds an operation's runs", async () => {
    const rows = await sql<{ id: string }[]>`
      insert into executor_runs (function_id, event, status, created_at)
      select 'queries-same-ms', jsonb_build_object('name', 'q/op', 'data', jsonb_build_object('operationId', case when g = 3 then 'op-3' else 'op-x' end)),
             'completed', timestamptz '2026-02-01 00:00:00.123000+00' + g * interval '1 microsecond'
      from generate_series(1, 5) g
      returning id`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listRuns(db, { functionId: "queries-same-ms", limit: 2, cursor });
      seen.push(...page.runs.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(rows.map((r) => r.id).reverse());
    const ofOperation = await listRuns(db, { operationId: "op-3" });
    expect(ofOperation.runs.map((r) => r.id)).toEqual([rows[2]!.id]);
    const [withRetries] = (await listRuns(db, { functionId: fn, limit: 7 })).runs.filter((r) => r.id === ids[0]);
    expect(withRetries?.attempts).toBe(2);
    await sql`delete from executor_runs where function_id = 'queries-same-ms'`;
  });
});

import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import type { ExecutorContext } from "./context";
import { connectExecutorDb } from "./db";
import { FunctionRegistry } from "./registry";
import { purgeOldRuns } from "./retention";
import { INNGEST_CLOUD_LIMITS } from "./usage-limits";
import { testDatabaseUrl } from "@/db/test/database";

describe("executor retention", () => {
  const sql = connectExecutorDb(testDatabaseUrl(), 2);
  const ctx: ExecutorContext = { sql, registry: new FunctionRegistry(sql, "http://127.0.0.1:1/api/inngest"), logger: pino({ level: "silent" }), retryBaseMs: 1000, callTimeoutMs: 1000, limits: INNGEST_CLOUD_LIMITS, missingFunctionGraceMs: 0, checkpointing: true, checkpointingCalls: new Map(), wake: () => undefined, emit: async () => [] };
  afterAll(async () => sql.end({ timeout: 5 }));

  it("deletes finished runs, their steps and events past the window, and keeps the rest", async () => {
    const fn = "retention-test-fn";
    const [oldEvent] = await sql<{ id: string }[]>`
      insert into executor_events (name, data, ts, received_at) values ('r/old', '{}', 0, now() - interval '30 days') returning id`;
    const rows = await sql<{ id: string; label: string }[]>`
      insert into executor_runs (function_id, event_id, event, status, created_at, ended_at)
      values (${fn}, ${oldEvent!.id}, '{"name":"r/old"}', 'completed', now() - interval '30 days', now() - interval '30 days'),
             (${fn}, null, '{"name":"r/recent"}', 'failed', now() - interval '1 day', now() - interval '1 day'),
             (${fn}, null, '{"name":"r/active"}', 'sleeping', now() - interval '30 days', null)
      returning id, event->>'name' as label`;
    const old = rows.find((r) => r.label === "r/old")!;
    await sql`insert into executor_steps (run_id, hash, op, status, done) values (${old.id}, 'h', 'StepRun', 'completed', true)`;

    // Other suites' executors purge too (housekeeping), so assert the resulting state, not the count.
    await purgeOldRuns(ctx, 14);
    const left = await sql<{ label: string }[]>`select event->>'name' as label from executor_runs where function_id = ${fn} order by label`;
    expect(left.map((r) => r.label)).toEqual(["r/active", "r/recent"]);
    expect(await sql`select 1 from executor_steps where run_id = ${old.id}`).toHaveLength(0);
    expect(await sql`select 1 from executor_events where id = ${oldEvent!.id}`).toHaveLength(0);
    await sql`delete from executor_runs where function_id = ${fn}`;
  });
});

import { drizzle } from "drizzle-orm/postgres-js";
import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRun } from "./queries";
import { startHarness, type Harness } from "./test-support/harness";
import { testDatabaseUrl } from "@/db/test/database";

// Small limits, so each can be crossed cheaply; the defaults are Inngest Cloud's.
const LIMITS = { maxStepsPerRun: 25, maxStepOutputBytes: 20_000, maxRunStateBytes: 60_000, maxEventBytes: 50_000, maxStepDurationMs: 800 };

function functions(client: Inngest.Any) {
  const manySteps = client.createFunction({ id: "many-steps", retries: 0, triggers: [{ event: "l/steps" }] }, async ({ event, step }) => {
    let n = 0;
    for (let i = 0; i < (event.data.steps as number); i++) n += await step.run(`s-${i}`, () => 1);
    return n;
  });
  const bigOutput = client.createFunction({ id: "big-output", retries: 0, triggers: [{ event: "l/output" }] }, async ({ event, step }) => {
    const text = await step.run("read-everything", () => "x".repeat(event.data.bytes as number));
    return text.length;
  });
  const growingState = client.createFunction({ id: "growing-state", retries: 0, triggers: [{ event: "l/state" }] }, async ({ step }) => {
    for (let i = 0; i < 10; i++) await step.run(`chunk-${i}`, () => "y".repeat(15_000));
    return "done";
  });
  const slowStep = client.createFunction({ id: "slow-step", retries: 0, triggers: [{ event: "l/slow" }] }, async ({ step }) => {
    await step.run("too-slow", () => new Promise((r) => setTimeout(r, 2_000)));
    return "late";
  });
  const waitsForBig = client.createFunction({ id: "waits-for-big", retries: 0, triggers: [{ event: "l/wait" }] }, async ({ step }) => {
    const got = await step.waitForEvent("big-one", { event: "l/big", timeout: "10s" });
    return got ? "resumed" : "timed out";
  });
  return [manySteps, bigOutput, growingState, slowStep, waitsForBig];
}

type Usage = { status: string; error: { name?: string; limit?: string; message?: string } | null; step_count: number; state_bytes: string; max_step_output_bytes: number; event_bytes: number };

describe("local executor: Inngest's usage limits", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-limits", functions, executor: { limits: LIMITS } });
  });
  afterAll(async () => h?.close());

  async function run(name: string, data: Record<string, unknown> = {}): Promise<Usage & { id: string }> {
    const { ids } = await h.client.send({ name, data });
    const [r] = await h.runsOfEvent(ids[0]!);
    await h.waitForStatus(r!.id, ["completed", "failed"]);
    const [row] = await h.sql<Usage[]>`select status, error, step_count, state_bytes, max_step_output_bytes, event_bytes from executor_runs where id = ${r!.id}`;
    return { ...row!, id: r!.id };
  }

  it("records what a run within the limits used", async () => {
    const usage = await run("l/steps", { steps: 5 });
    expect(usage.status).toBe("completed");
    expect(usage.step_count).toBe(5);
    expect(usage.event_bytes).toBeGreaterThan(10);
    expect(usage.max_step_output_bytes).toBe(JSON.stringify({ type: "data", data: 1 }).length);
    expect(Number(usage.state_bytes)).toBe(usage.event_bytes + 5 * usage.max_step_output_bytes);
    // The run page reads the same figures.
    const detail = await getRun(drizzle(h.sql), usage.id);
    expect(detail?.usage).toEqual({ steps: 5, stateBytes: Number(usage.state_bytes), maxStepOutputBytes: usage.max_step_output_bytes, eventBytes: usage.event_bytes });
  });

  it("fails a run that passes the steps-per-run limit, naming the limit", async () => {
    const usage = await run("l/steps", { steps: 40 });
    expect(usage.status).toBe("failed");
    expect(usage.error).toMatchObject({ name: "InngestLimitExceeded", limit: "maxStepsPerRun" });
    expect(usage.error?.message).toContain("25 steps per run");
    expect(usage.step_count).toBe(25);
  });

  it("fails a run whose step returns more than the step-result limit, without storing it", async () => {
    const usage = await run("l/output", { bytes: 30_000 });
    expect(usage.status).toBe("failed");
    expect(usage.error).toMatchObject({ name: "InngestLimitExceeded", limit: "maxStepOutputBytes" });
    expect(usage.error?.message).toContain('step "read-everything"');
    expect(usage.max_step_output_bytes).toBe(0);
  });

  it("fails a run whose state grows past the run-state limit", async () => {
    const usage = await run("l/state");
    expect(usage.status).toBe("failed");
    expect(usage.error).toMatchObject({ name: "InngestLimitExceeded", limit: "maxRunStateBytes" });
    expect(Number(usage.state_bytes)).toBeLessThanOrEqual(LIMITS.maxRunStateBytes);
    expect(usage.step_count).toBe(3);
  });

  it("fails a run whose step runs past the step-duration limit", async () => {
    const usage = await run("l/slow");
    expect(usage.status).toBe("failed");
    expect(usage.error).toMatchObject({ name: "InngestLimitExceeded", limit: "maxStepDurationMs" });
  });

  it("refuses an event over the event-size limit at the Event API, and starts nothing", async () => {
    const before = await h.sql`select count(*)::int as n from executor_events where name = 'l/steps'`;
    await expect(h.client.send({ name: "l/steps", data: { steps: 1, padding: "z".repeat(60_000) } })).rejects.toThrow();
    const after = await h.sql`select count(*)::int as n from executor_events where name = 'l/steps'`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

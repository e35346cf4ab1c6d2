import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./test-support/app-server";
import { startHarness, type Harness } from "./test-support/harness";
import { testDatabaseUrl } from "@/db/test/database";

type Probe = { entries: number; afterCancel: number; release: () => void; slowStarted: boolean };

function functions(probe: Probe) {
  return (client: Inngest.Any) => [
    client.createFunction({ id: "three", retries: 0, triggers: [{ event: "cp/three" }] }, async ({ step }) => {
      probe.entries++; // once per call to the handler
      const a = await step.run("one", () => 1);
      const b = await step.run("two", () => a + 1);
      return step.run("three", () => b + 1);
    }),
    client.createFunction({ id: "held", retries: 0, triggers: [{ event: "cp/held" }] }, async ({ step }) => {
      await step.run("first", () => "done");
      await step.run("slow", async () => {
        probe.slowStarted = true;
        await new Promise<void>((resolve) => (probe.release = resolve));
        return "slow done";
      });
      await step.run("after", () => probe.afterCancel++);
      return "finished";
    }),
  ];
}

/** The run of this harness's function (the other suite's app, gone, is still registered for the same event). */
async function runOf(h: Harness, name: string, fn: string): Promise<string> {
  const { ids } = await h.client.send({ name, data: {} });
  const run = await waitFor(async () => (await h.runsOfEvent(ids[0]!)).find((r) => r.function_id === h.fnId(fn)));
  return run.id;
}

describe("local executor: Inngest's async checkpointing", () => {
  const probe: Probe = { entries: 0, afterCancel: 0, release: () => undefined, slowStarted: false };
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-cp", functions: functions(probe) });
  });
  afterAll(async () => {
    probe.release();
    await h?.close();
  });

  it("runs a sequential run's steps in one call, memoizing each checkpointed step in order", async () => {
    const runId = await runOf(h, "cp/three", "three");
    const run = await h.waitForStatus(runId, ["completed", "failed"]);
    expect(run).toMatchObject({ status: "completed", output: 3 });
    expect(probe.entries).toBe(1);
    const steps = await h.sql`select step_id, position, status from executor_steps where run_id = ${runId} order by position`;
    expect(steps).toEqual([
      { step_id: "one", position: 0, status: "completed" },
      { step_id: "two", position: 1, status: "completed" },
      { step_id: "three", position: 2, status: "completed" },
    ]);
    const [usage] = await h.sql<{ step_count: number }[]>`select step_count from executor_runs where id = ${runId}`;
    expect(usage!.step_count).toBe(3);
  });

  it("stops a run cancelled in the middle of a call at its next checkpoint", async () => {
    const runId = await runOf(h, "cp/held", "held");
    await waitFor(async () => probe.slowStarted, 15_000, "the slow step to start");
    const del = await fetch(`${h.executor.url}/v1/runs/${runId}`, { method: "DELETE", headers: h.apiHeaders });
    expect(del.status).toBe(200);
    probe.release();
    // The SDK's checkpoint of "slow" is refused (409), so it never runs "after".
    await new Promise((r) => setTimeout(r, 1500));
    expect(probe.afterCancel).toBe(0);
    const [run] = await h.sql<{ status: string }[]>`select status from executor_runs where id = ${runId}`;
    expect(run!.status).toBe("cancelled");
    const steps = await h.sql<{ step_id: string }[]>`select step_id from executor_steps where run_id = ${runId} and done order by position`;
    expect(steps.map((s) => s.step_id)).toEqual(["first"]);
  });

  it("refuses a checkpoint that is unsigned, or that no call of this run's claim sent", async () => {
    const runId = await runOf(h, "cp/three", "three");
    await h.waitForStatus(runId, ["completed"]);
    const body = JSON.stringify({ run_id: runId, fn_id: "exec-cp-three", qi_id: "1.1", steps: [{ id: "f".repeat(40), op: "StepRun", data: "forged" }] });
    const url = `${h.executor.url}/v1/checkpoint/${runId}/async`;
    const unsigned = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(unsigned.status).toBe(401);
    const stale = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...h.apiHeaders }, body });
    expect(stale.status).toBe(409);
    const forged = await h.sql`select 1 from executor_steps where run_id = ${runId} and hash = ${"f".repeat(40)}`;
    expect(forged).toHaveLength(0);
  });
});

// Apart from the suite above: executors on one database take each other's work.
describe("local executor: without checkpointing", () => {
  const probe: Probe = { entries: 0, afterCancel: 0, release: () => undefined, slowStarted: false };
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-nocp", functions: functions(probe), executor: { checkpointing: false } });
  });
  afterAll(async () => h?.close());

  it("takes a call per step and one to finish", async () => {
    const runId = await runOf(h, "cp/three", "three");
    expect(await h.waitForStatus(runId, ["completed", "failed"])).toMatchObject({ status: "completed", output: 3 });
    expect(probe.entries).toBe(4);
  });
});

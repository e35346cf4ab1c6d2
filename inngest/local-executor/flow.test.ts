import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./test-support/harness";
import { waitFor } from "./test-support/app-server";
import { testDatabaseUrl } from "@/db/test/database";

function functions(client: Inngest.Any) {
  const sleeper = client.createFunction({ id: "sleeper", triggers: [{ event: "f/sleep" }] }, async ({ step }) => {
    const before = await step.run("before", () => Date.now());
    await step.sleep("nap", "600ms");
    const after = await step.run("after", () => Date.now());
    return { sleptMs: after - before };
  });
  const waiter = client.createFunction({ id: "waiter", triggers: [{ event: "f/wait" }] }, async ({ event, step }) => {
    const approval = await step.waitForEvent("wait-approval", { event: "f/approved", timeout: event.data.timeout as string, match: "data.key" });
    return { approvedBy: approval ? approval.data.by : null };
  });
  const child = client.createFunction({ id: "child", triggers: [{ event: "f/child-direct" }] }, async ({ event, step }) => {
    const doubled = await step.run("double", () => (event.data.n as number) * 2);
    if (event.data.fail) throw new Error("child failed");
    return { doubled };
  });
  const parent = client.createFunction({ id: "parent", triggers: [{ event: "f/parent" }] }, async ({ event, step }) => {
    try {
      const res = await step.invoke("call-child", { function: child, data: { n: event.data.n, fail: event.data.fail } });
      return { fromChild: res };
    } catch (e) {
      return { childError: (e as Error).message };
    }
  });
  const fanOut = client.createFunction({ id: "fan-out", triggers: [{ event: "f/parallel" }] }, async ({ step }) => {
    const [x, y, z] = await Promise.all([step.run("p1", () => 1), step.run("p2", () => 2), step.run("p3", () => 3)]);
    const sum = await step.run("sum", () => x + y + z);
    return { sum };
  });
  const loop = client.createFunction({ id: "loop", triggers: [{ event: "f/loop" }] }, async ({ step }) => {
    const out: number[] = [];
    for (let i = 0; i < 4; i++) out.push(await step.run("item", () => i * 10));
    return out;
  });
  const filtered = client.createFunction({ id: "filtered", triggers: [{ event: "f/filtered", if: "event.data.priority > 5" }] }, async () => "high");
  const sender = client.createFunction({ id: "sender", triggers: [{ event: "f/send" }] }, async ({ step }) => {
    await step.sendEvent("emit", { name: "f/filtered", data: { priority: 9 } });
    return "sent";
  });
  return [sleeper, waiter, child, parent, fanOut, loop, filtered, sender];
}

describe("local executor: sleep, waitForEvent, invoke, parallel", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-flow", functions });
  });
  afterAll(async () => h?.close());

  async function start(name: string, data: Record<string, unknown> = {}): Promise<string> {
    const { ids } = await h.client.send({ name, data });
    const runs = await h.runsOfEvent(ids[0]!);
    expect(runs).toHaveLength(1);
    return runs[0]!.id;
  }

  it("sleeps for the op's duration and parks the run meanwhile", async () => {
    const runId = await start("f/sleep");
    await h.waitForStatus(runId, ["sleeping"], 5000);
    const done = await h.waitForStatus(runId, ["completed", "failed"]);
    expect(done.status).toBe("completed");
    expect((done.output as { sleptMs: number }).sleptMs).toBeGreaterThanOrEqual(550);
  });

  it("resumes a waitForEvent on a matching event only", async () => {
    const runId = await start("f/wait", { key: "k-1", timeout: "30s" });
    await h.waitForStatus(runId, ["waiting"], 5000);
    await h.client.send({ name: "f/approved", data: { key: "other", by: "mallory" } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.waitForStatus(runId, ["waiting"])).status).toBe("waiting");
    await h.client.send({ name: "f/approved", data: { key: "k-1", by: "alice" } });
    const done = await h.waitForStatus(runId, ["completed", "failed"]);
    expect(done).toMatchObject({ status: "completed", output: { approvedBy: "alice" } });
  });

  it("resolves a waitForEvent to null when it times out", async () => {
    const runId = await start("f/wait", { key: "k-2", timeout: "500ms" });
    const done = await h.waitForStatus(runId, ["completed", "failed"]);
    expect(done).toMatchObject({ status: "completed", output: { approvedBy: null } });
  });

  it("invokes another function and receives its result", async () => {
    const runId = await start("f/parent", { n: 21 });
    const done = await h.waitForStatus(runId, ["completed", "failed"]);
    expect(done).toMatchObject({ status: "completed", output: { fromChild: { doubled: 42 } } });
    const children = await h.sql`select status from executor_runs where parent_run_id = ${runId}`;
    expect(children.map((c) => c.status)).toEqual(["completed"]);
  });

  it("surfaces an invoked function's failure as a step error", async () => {
    const runId = await start("f/parent", { n: 1, fail: true });
    const done = await h.waitForStatus(runId, ["completed", "failed"], 20_000);
    expect(done.status).toBe("completed");
    expect((done.output as { childError: string }).childError).toContain("child failed");
  });

  it("runs parallel steps and continues once all of them finished", async () => {
    const runId = await start("f/parallel");
    const done = await h.waitForStatus(runId, ["completed", "failed"]);
    expect(done).toMatchObject({ status: "completed", output: { sum: 6 } });
    const steps = await h.sql`select step_id from executor_steps where run_id = ${runId} and done order by position`;
    expect(steps.map((s) => s.step_id).sort()).toEqual(["p1", "p2", "p3", "sum"]);
    expect(steps.at(-1)?.step_id).toBe("sum");
  });

  it("memoizes repeated step ids separately", async () => {
    const runId = await start("f/loop");
    const done = await h.waitForStatus(runId, ["completed", "failed"]);
    expect(done).toMatchObject({ status: "completed", output: [0, 10, 20, 30] });
  });

  it("starts runs only for events whose trigger expression matches", async () => {
    const low = await h.client.send({ name: "f/filtered", data: { priority: 1 } });
    expect(await h.runsOfEvent(low.ids[0]!)).toHaveLength(0);
    const high = await h.client.send({ name: "f/filtered", data: { priority: 7 } });
    const [run] = await h.runsOfEvent(high.ids[0]!);
    expect((await h.waitForStatus(run!.id, ["completed"])).output).toBe("high");
  });

  it("delivers events sent from a step (step.sendEvent) to the Event API", async () => {
    const runId = await start("f/send");
    await h.waitForStatus(runId, ["completed"]);
    const triggered = await waitFor(async () => {
      const rows = await h.sql`
        select r.id from executor_runs r join executor_events e on e.id = r.event_id
        where r.function_id = ${h.fnId("filtered")} and e.received_at > now() - interval '10 seconds' and (e.data->>'priority')::int = 9`;
      return rows.length ? rows : undefined;
    });
    expect(triggered).toHaveLength(1);
  });
});

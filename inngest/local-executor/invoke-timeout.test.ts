import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./test-support/harness";
import { waitFor } from "./test-support/app-server";
import { testDatabaseUrl } from "@/db/test/database";

function functions(client: Inngest.Any) {
  const slowChild = client.createFunction({ id: "slow-child", triggers: [{ event: "it/slow" }] }, async ({ step }) => {
    await step.sleep("take-time", "2500ms");
    return "child done";
  });
  const fastChild = client.createFunction({ id: "fast-child", triggers: [{ event: "it/fast" }] }, async ({ event }) => ({ echo: event.data.x }));
  const impatient = client.createFunction({ id: "impatient", triggers: [{ event: "it/impatient" }] }, async ({ step }) => {
    try {
      return { result: await step.invoke("call-slow", { function: slowChild, data: {}, timeout: "1s" }) };
    } catch (e) {
      return { name: (e as Error).name, message: (e as Error).message };
    }
  });
  const patient = client.createFunction({ id: "patient", triggers: [{ event: "it/patient" }] }, async ({ step }) => {
    const result = await step.invoke("call-fast", { function: fastChild, data: { x: 7 }, timeout: "1s" });
    await step.sleep("after", "1500ms");
    return { result };
  });
  return [slowChild, fastChild, impatient, patient];
}

describe("local executor: step.invoke timeout", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-invoke-timeout", functions });
  });
  afterAll(async () => h?.close());

  async function start(name: string): Promise<string> {
    const { ids } = await h.client.send({ name, data: {} });
    const [run] = await h.runsOfEvent(ids[0]!);
    return run!.id;
  }

  const childOf = (parentId: string) =>
    waitFor(async () => (await h.sql<{ id: string; status: string }[]>`select id, status from executor_runs where parent_run_id = ${parentId}`)[0], 5000, "the invoked run");

  it("fails the invoking step with InngestInvokeTimeoutError when the child is late, and leaves the child running", async () => {
    const parentId = await start("it/impatient");
    const child = await childOf(parentId);
    const parent = await h.waitForStatus(parentId, ["completed", "failed"], 8000);
    expect(parent.output).toEqual({ name: "InngestInvokeTimeoutError", message: "Timed out waiting for invoked function to complete" });
    const [childNow] = await h.sql<{ status: string }[]>`select status from executor_runs where id = ${child.id}`;
    expect(["queued", "running", "sleeping"]).toContain(childNow!.status);
    // The child finishes on its own later; its result no longer changes the parent.
    expect((await h.waitForStatus(child.id, ["completed"], 8000)).output).toBe("child done");
    const [after] = await h.sql<{ output: unknown }[]>`select output from executor_runs where id = ${parentId}`;
    expect(after!.output).toEqual(parent.output);
  });

  it("resolves with the child's result when it answers in time, and drops the timer", async () => {
    const parentId = await start("it/patient");
    await h.waitForStatus(parentId, ["sleeping"]);
    const timers = await h.sql`select 1 from executor_queue where run_id = ${parentId} and kind = 'invoke_timeout'`;
    expect(timers).toHaveLength(0);
    expect((await h.waitForStatus(parentId, ["completed"], 8000)).output).toEqual({ result: { echo: 7 } });
  });
});

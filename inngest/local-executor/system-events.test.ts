import { NonRetriableError, type Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./test-support/harness";
import { waitFor } from "./test-support/app-server";
import { testDatabaseUrl } from "@/db/test/database";

const APP = "exec-sysev";

function functions(client: Inngest.Any) {
  const ok = client.createFunction({ id: "ok", triggers: [{ event: "se/ok" }] }, async ({ event, step }) => {
    const doubled = await step.run("double", () => Number(event.data.n) * 2);
    return { doubled };
  });
  const boom = client.createFunction({ id: "boom", retries: 0, triggers: [{ event: "se/boom" }] }, async () => {
    throw new NonRetriableError("kaput");
  });
  const sleepy = client.createFunction(
    { id: "sleepy", triggers: [{ event: "se/sleepy" }], cancelOn: [{ event: "se/stop", match: "data.id" }] },
    async ({ step }) => {
      await step.sleep("nap", "30s");
    },
  );
  const single = client.createFunction({ id: "single", singleton: { key: "event.data.k", mode: "cancel" }, triggers: [{ event: "se/single" }] }, async ({ step }) => {
    await step.sleep("hold", "30s");
  });
  const bounded = client.createFunction({ id: "bounded", timeouts: { finish: "1s" }, triggers: [{ event: "se/bounded" }] }, async ({ step }) => {
    await step.sleep("too-long", "30s");
  });
  // Listens to finished events of `ok`: its own runs must not announce themselves (no loop).
  const listener = client.createFunction(
    { id: "listener", triggers: [{ event: "inngest/function.finished", if: `event.data.function_id == '${APP}-ok'` }] },
    async ({ event }) => ({ seen: event.data.run_id }),
  );
  return [ok, boom, sleepy, single, bounded, listener];
}

type Announced = { name: string; data: Record<string, unknown> };

describe("local executor: inngest/function.finished and inngest/function.cancelled", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: APP, functions });
  });
  afterAll(async () => h?.close());

  async function start(name: string, data: Record<string, unknown>): Promise<string> {
    const { ids } = await h.client.send({ name, data });
    const [run] = await h.runsOfEvent(ids[0]!);
    expect(run).toBeDefined();
    return run!.id;
  }

  async function announced(runId: string, count: number): Promise<Announced[]> {
    return waitFor(async () => {
      const rows = await h.sql<Announced[]>`
        select name, data from executor_events where name like 'inngest/function.%' and data->>'run_id' = ${runId} order by received_at, name`;
      return rows.length >= count ? rows : undefined;
    }, 5000, `${count} system events of run ${runId}`);
  }

  it("emits function.finished with the result when a run completes, and a listener's run announces nothing", async () => {
    const runId = await start("se/ok", { n: 21 });
    await h.waitForStatus(runId, ["completed"]);
    const [finished, ...rest] = await announced(runId, 1);
    expect(rest).toHaveLength(0);
    expect(finished).toMatchObject({
      name: "inngest/function.finished",
      data: { function_id: h.fnId("ok"), run_id: runId, result: { doubled: 42 }, event: { name: "se/ok", data: { n: 21 } } },
    });
    expect(finished!.data).not.toHaveProperty("error");
    const listenerRun = await waitFor(async () => {
      const [r] = await h.sql<{ id: string }[]>`select id from executor_runs where function_id = ${h.fnId("listener")} and event->'data'->>'run_id' = ${runId}`;
      return r;
    }, 5000, "the listener's run");
    expect((await h.waitForStatus(listenerRun.id, ["completed"])).output).toEqual({ seen: runId });
    const loop = await h.sql`select 1 from executor_events where name like 'inngest/function.%' and data->>'run_id' = ${listenerRun.id}`;
    expect(loop).toHaveLength(0);
  });

  it("emits function.failed and function.finished with the error when a run fails", async () => {
    const runId = await start("se/boom", {});
    await h.waitForStatus(runId, ["failed"]);
    const events = await announced(runId, 2);
    expect(events.map((e) => e.name).sort()).toEqual(["inngest/function.failed", "inngest/function.finished"]);
    const finished = events.find((e) => e.name === "inngest/function.finished")!;
    expect(finished.data).toMatchObject({ function_id: h.fnId("boom"), run_id: runId, error: { message: "kaput" }, event: { name: "se/boom" } });
    expect(finished.data).not.toHaveProperty("result");
  });

  it("emits function.cancelled and function.finished for each way a run is cancelled", async () => {
    const byEvent = await start("se/sleepy", { id: "a" });
    const byApi = await start("se/sleepy", { id: "b" });
    const replaced = await start("se/single", { k: "x" });
    const late = await start("se/bounded", {});
    await h.waitForStatus(byEvent, ["sleeping"]);
    await h.waitForStatus(byApi, ["sleeping"]);
    await h.waitForStatus(replaced, ["sleeping"]);
    await h.client.send({ name: "se/stop", data: { id: "a" } });
    expect((await fetch(`${h.executor.url}/v1/runs/${byApi}`, { method: "DELETE", headers: h.apiHeaders })).status).toBe(200);
    const replacement = await start("se/single", { k: "x" });
    for (const id of [byEvent, byApi, replaced, late]) await h.waitForStatus(id, ["cancelled"], 8000);
    for (const [runId, fn] of [[byEvent, "sleepy"], [byApi, "sleepy"], [replaced, "single"], [late, "bounded"]] as const) {
      const events = await announced(runId, 2);
      const cancelled = events.find((e) => e.name === "inngest/function.cancelled");
      const finished = events.find((e) => e.name === "inngest/function.finished");
      expect(cancelled?.data).toMatchObject({ function_id: h.fnId(fn), run_id: runId, error: { name: "Error", message: "function cancelled" } });
      expect((cancelled?.data.event as { name?: string }).name).toBe(`se/${fn}`);
      expect(finished?.data).toMatchObject({ run_id: runId, error: { message: "function cancelled" } });
    }
    // The replacement singleton run is still active, so it has announced nothing.
    expect(await h.sql`select 1 from executor_events where name like 'inngest/function.%' and data->>'run_id' = ${replacement}`).toHaveLength(0);
    await fetch(`${h.executor.url}/v1/runs/${replacement}`, { method: "DELETE", headers: h.apiHeaders });
  });
});

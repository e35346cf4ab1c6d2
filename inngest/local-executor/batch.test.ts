import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./test-support/harness";
import { waitFor } from "./test-support/app-server";
import { testDatabaseUrl } from "@/db/test/database";

function functions(client: Inngest.Any) {
  const batched = client.createFunction(
    { id: "batched", batchEvents: { maxSize: 3, timeout: "1s", key: "event.data.group", if: "event.data.group != 'solo'" }, triggers: [{ event: "bt/item" }] },
    async ({ event, events, step }) => {
      const ns = await step.run("collect", () => events.map((e) => e.data.n as number));
      return { first: event.data.n, ns };
    },
  );
  return [batched];
}

type Output = { first: number; ns: number[] };

describe("local executor: batchEvents", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-batch", functions });
  });
  afterAll(async () => h?.close());

  const runsOf = (group: string) =>
    h.sql<{ id: string; status: string }[]>`
      select id, status from executor_runs where function_id = ${h.fnId("batched")} and event->'data'->>'group' = ${group} order by created_at, (event->'data'->>'n')::int`;

  async function outputs(group: string, count: number): Promise<Output[]> {
    const runs = await waitFor(async () => {
      const r = await runsOf(group);
      return r.length >= count ? r : undefined;
    }, 5000, `${count} runs of group ${group}`);
    const done = [];
    for (const run of runs) done.push((await h.waitForStatus(run.id, ["completed"])).output as Output);
    return done;
  }

  const send = (group: string, ns: number[]) => h.client.send(ns.map((n) => ({ name: "bt/item", data: { group, n } })));

  it("starts one run with every event as soon as the batch reaches maxSize", async () => {
    await send("full", [1]);
    await send("full", [2]);
    expect(await runsOf("full")).toHaveLength(0);
    await send("full", [3]);
    // The third event completes the batch in its own transaction: no timeout to wait for.
    expect(await runsOf("full")).toHaveLength(1);
    expect(await outputs("full", 1)).toEqual([{ first: 1, ns: [1, 2, 3] }]);
  });

  it("starts a partial batch when its timeout expires, one batch per key", async () => {
    await send("partial", [1, 2]);
    await send("other", [7]);
    expect(await runsOf("partial")).toHaveLength(0);
    expect(await outputs("partial", 1)).toEqual([{ first: 1, ns: [1, 2] }]);
    expect(await outputs("other", 1)).toEqual([{ first: 7, ns: [7] }]);
    expect(await h.sql`select 1 from executor_batches where function_id = ${h.fnId("batched")}`).toHaveLength(0);
  });

  it("splits a burst into full batches and a timed-out rest, losing no event", async () => {
    await send("burst", [1, 2, 3, 4, 5, 6, 7]);
    const outs = await outputs("burst", 3);
    expect(outs.map((o) => o.ns.length).sort()).toEqual([1, 3, 3]);
    expect(outs.flatMap((o) => o.ns).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("runs an event that fails the batch's `if` on its own, at once", async () => {
    await send("solo", [5]);
    expect(await runsOf("solo")).toHaveLength(1);
    expect(await outputs("solo", 1)).toEqual([{ first: 5, ns: [5] }]);
  });
});

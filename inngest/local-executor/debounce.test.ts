import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./test-support/harness";
import { waitFor } from "./test-support/app-server";
import { testDatabaseUrl } from "@/db/test/database";

function functions(client: Inngest.Any) {
  const debounced = client.createFunction(
    { id: "debounced", debounce: { key: "event.data.key", period: "1s", timeout: "2s" }, triggers: [{ event: "db/changed" }] },
    async ({ event, events }) => ({ key: event.data.key, n: event.data.n, events: events.length }),
  );
  return [debounced];
}

type Run = { id: string; event: { data: { key: string; n: number } }; output: { n: number; events: number } | null; created_at: Date };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("local executor: debounce", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-debounce", functions });
  });
  afterAll(async () => h?.close());

  const runsOf = (key: string) =>
    h.sql<Run[]>`select id, event, output, created_at from executor_runs where function_id = ${h.fnId("debounced")} and event->'data'->>'key' = ${key} order by created_at`;

  async function send(key: string, n: number): Promise<void> {
    await h.client.send({ name: "db/changed", data: { key, n } });
  }

  it("starts one run per key with the last event once no event came for the period", async () => {
    for (const n of [1, 2, 3]) {
      await send("a", n);
      await sleep(150);
    }
    await send("b", 1);
    // Within the period of the last event nothing has started.
    expect(await runsOf("a")).toHaveLength(0);
    const [a] = await waitFor(async () => ((await runsOf("a")).length ? runsOf("a") : undefined), 5000, "the debounced run of a");
    await h.waitForStatus(a!.id, ["completed"]);
    await waitFor(async () => (await runsOf("b")).length === 1, 5000, "the debounced run of b");
    await sleep(300);
    const runsA = await runsOf("a");
    expect(runsA).toHaveLength(1);
    expect(runsA[0]!.event.data.n).toBe(3);
    expect((await h.waitForStatus(runsA[0]!.id, ["completed"])).output).toEqual({ key: "a", n: 3, events: 1 });
    expect(await runsOf("b")).toHaveLength(1);
  });

  it("starts the run at `timeout` after the first event when events keep coming", async () => {
    let lastSentAt = 0;
    for (let n = 1; n <= 10; n++) {
      await send("c", n);
      lastSentAt = Date.now();
      await sleep(300);
    }
    const runs = await waitFor(async () => {
      const r = await runsOf("c");
      return r.length >= 2 && r.at(-1)!.event.data.n === 10 ? r : undefined;
    }, 6000, "the last debounced run of c");
    // The first run did not wait for the stream to stop, and carried the latest event of its time.
    expect(runs[0]!.created_at.getTime()).toBeLessThan(lastSentAt);
    expect(runs[0]!.event.data.n).toBeLessThan(10);
    expect(runs[0]!.event.data.n).toBeGreaterThan(1);
    const pending = await h.sql`select 1 from executor_debounces where function_id = ${h.fnId("debounced")}`;
    expect(pending).toHaveLength(0);
  });
});

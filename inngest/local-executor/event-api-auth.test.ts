import { randomUUID } from "node:crypto";
import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, TEST_EVENT_KEY, type Harness } from "./test-support/harness";
import { testDatabaseUrl } from "@/db/test/database";

function functions(client: Inngest.Any) {
  return [client.createFunction({ id: "probe", triggers: [{ event: "auth/probe" }] }, async ({ event }) => ({ marker: event.data.marker }))];
}

/** The Event API checks its key: anyone who can reach the executor must not be able to start runs. */
describe("local executor: Event API key", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-event-key", functions });
  });
  afterAll(async () => h?.close());

  const post = (key: string, marker: string) =>
    fetch(`${h.executor.url}/e/${encodeURIComponent(key)}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "auth/probe", data: { marker } }) });
  const stored = async (marker: string) => (await h.sql`select id from executor_events where name = 'auth/probe' and data->>'marker' = ${marker}`).length;
  const runs = async (marker: string) => (await h.sql`select id from executor_runs where function_id = ${h.fnId("probe")} and event->'data'->>'marker' = ${marker}`).length;

  it("refuses a wrong or missing key with 401 and stores no event, starts no run", async () => {
    for (const key of ["wrong-key", `${TEST_EVENT_KEY}x`, TEST_EVENT_KEY.slice(0, -1), "local"]) {
      const marker = randomUUID();
      const res = await post(key, marker);
      expect(res.status).toBe(401);
      expect(await stored(marker)).toBe(0);
      expect(await runs(marker)).toBe(0);
    }
  });

  it("accepts the configured key (the SDK's send uses it)", async () => {
    const marker = randomUUID();
    const res = await post(TEST_EVENT_KEY, marker);
    expect(res.status).toBe(200);
    expect(await stored(marker)).toBe(1);
    const { ids } = await h.client.send({ name: "auth/probe", data: { marker: "sent-by-sdk" } });
    const [run] = await h.runsOfEvent(ids[0]!);
    expect((await h.waitForStatus(run!.id, ["completed"])).output).toEqual({ marker: "sent-by-sdk" });
  });
});

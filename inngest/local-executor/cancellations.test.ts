import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./test-support/harness";
import { testDatabaseUrl } from "@/db/test/database";

const APP = "exec-bulk-cancel";

function functions(client: Inngest.Any) {
  const held = client.createFunction({ id: "held", triggers: [{ event: "bc/held" }] }, async ({ step }) => {
    await step.sleep("hold", "60s");
  });
  return [held];
}

describe("local executor: POST /v1/cancellations (bulk cancellation)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: APP, functions });
  });
  afterAll(async () => h?.close());

  async function start(users: string[]): Promise<string[]> {
    const { ids } = await h.client.send(users.map((user) => ({ name: "bc/held", data: { user } })));
    const runs = await h.sql<{ id: string }[]>`select id from executor_runs where event_id = any(${ids}::uuid[])`;
    expect(runs).toHaveLength(users.length);
    return runs.map((r) => r.id);
  }

  async function statuses(ids: string[]): Promise<string[]> {
    const rows = await h.sql<{ status: string }[]>`select status from executor_runs where id = any(${ids}::uuid[])`;
    return [...new Set(rows.map((r) => r.status))].sort();
  }

  function cancel(body: unknown, headers: Record<string, string> = h.apiHeaders): Promise<Response> {
    return fetch(`${h.executor.url}/v1/cancellations`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  it("cancels the active runs of the function in the time range whose event matches `if`, and only those", async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const early = await start(["u1", "u1"]);
    const otherUser = await start(["u2"]);
    await new Promise((r) => setTimeout(r, 50));
    const cut = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 50));
    const late = await start(["u1"]);
    const res = await cancel({ app_id: APP, function_id: "held", started_after: from, started_before: cut, if: "event.data.user == 'u1'" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; cancelled: number; function_id: string };
    expect(body).toMatchObject({ function_id: "held", cancelled: 2 });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await statuses(early)).toEqual(["cancelled"]);
    expect(await statuses([...otherUser, ...late])).not.toContain("cancelled");
    const announced = await h.sql`select 1 from executor_events where name = 'inngest/function.cancelled' and data->>'run_id' = any(${early}::text[])`;
    expect(announced).toHaveLength(2);
    // Repeating it finds nothing left to cancel.
    expect(await (await cancel({ app_id: APP, function_id: "held", started_after: from, started_before: cut, if: "event.data.user == 'u1'" })).json()).toMatchObject({ cancelled: 0 });
  });

  it("pages through more runs than one page (200) holds", async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const many = await start(Array.from({ length: 260 }, (_, i) => (i % 4 === 0 ? "other" : "bulk")));
    const res = await cancel({ app_id: APP, function_id: "held", started_after: from, started_before: new Date(Date.now() + 1000).toISOString(), if: "event.data.user == 'bulk'" });
    expect(await res.json()).toMatchObject({ cancelled: 195 });
    const rows = await h.sql<{ n: number }[]>`
      select count(*)::int as n from executor_runs where id = any(${many}::uuid[]) and status = 'cancelled' and event->'data'->>'user' = 'bulk'`;
    expect(rows[0]?.n).toBe(195);
    const spared = await h.sql<{ n: number }[]>`
      select count(*)::int as n from executor_runs where id = any(${many}::uuid[]) and status <> 'cancelled' and event->'data'->>'user' = 'other'`;
    expect(spared[0]?.n).toBe(65);
  });

  it("refuses a request without the signing key, without app or function, or with a broken expression", async () => {
    const body = { app_id: APP, function_id: "held", started_after: new Date(0).toISOString(), started_before: new Date().toISOString() };
    expect((await cancel(body, {})).status).toBe(401);
    expect((await cancel({ ...body, function_id: undefined })).status).toBe(400);
    expect((await cancel({ ...body, started_before: "not a time" })).status).toBe(400);
    expect((await cancel({ ...body, if: "event.data.user ==" })).status).toBe(400);
  });
});

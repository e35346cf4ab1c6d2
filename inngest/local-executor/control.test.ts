import type { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./test-support/harness";
import { waitFor } from "./test-support/app-server";
import { testDatabaseUrl } from "@/db/test/database";

type Span = { key: string; run: string; start: number; end: number };
const spans: Span[] = [];
const cronFires: number[] = [];
const order: string[] = [];
const throttledStarts: number[] = [];

function functions(client: Inngest.Any) {
  const cancellable = client.createFunction(
    { id: "cancellable", triggers: [{ event: "c/start" }], cancelOn: [{ event: "c/stop", match: "data.jobId" }] },
    async ({ step }) => {
      await step.run("first", () => "one");
      await step.sleep("long-nap", "30s");
      await step.run("never", () => "unreachable");
    },
  );
  const keyed = client.createFunction(
    { id: "keyed", concurrency: { limit: 1, key: "event.data.key" }, triggers: [{ event: "c/keyed" }] },
    async ({ event, step, runId }) => {
      await step.run("work", async () => {
        const start = Date.now();
        await new Promise((r) => setTimeout(r, 400));
        spans.push({ key: String(event.data.key), run: runId, start, end: Date.now() });
      });
    },
  );
  const single = client.createFunction(
    { id: "single", singleton: { key: "event.data.key", mode: "skip" }, triggers: [{ event: "c/single" }] },
    async ({ step }) => {
      await step.sleep("hold", "500ms");
      return "done";
    },
  );
  const idem = client.createFunction({ id: "idem", idempotency: "event.data.requestId", triggers: [{ event: "c/idem" }] }, async () => "ran");
  const ticking = client.createFunction({ id: "ticking", triggers: [{ cron: "* * * * *" }] }, async ({ event }) => {
    cronFires.push(Date.now());
    return { cron: (event.data as { cron?: string }).cron };
  });
  const prioritized = client.createFunction(
    { id: "prioritized", concurrency: 1, priority: { run: "event.data.priority" }, triggers: [{ event: "c/prio" }] },
    async ({ event, step }) => {
      await step.run("work", async () => {
        order.push(String(event.data.label));
        await new Promise((r) => setTimeout(r, 300));
      });
    },
  );
  const limited = client.createFunction({ id: "limited", rateLimit: { limit: 2, period: "1h", key: "event.data.user" }, triggers: [{ event: "c/limited" }] }, async () => "ran");
  const throttled = client.createFunction({ id: "throttled", throttle: { limit: 1, period: "1s" }, triggers: [{ event: "c/throttled" }] }, async ({ step }) => {
    await step.run("stamp", () => throttledStarts.push(Date.now()));
  });
  const bounded = client.createFunction({ id: "bounded", timeouts: { finish: "1s" }, triggers: [{ event: "c/bounded" }] }, async ({ step }) => {
    await step.sleep("too-long", "20s");
  });
  return [cancellable, keyed, single, idem, ticking, prioritized, limited, throttled, bounded];
}

describe("local executor: cancellation, concurrency, singleton, idempotency, cron", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-control", functions });
  });
  afterAll(async () => h?.close());

  async function start(name: string, data: Record<string, unknown>, id?: string): Promise<string[]> {
    const { ids } = await h.client.send({ name, data, ...(id ? { id } : {}) });
    return (await h.runsOfEvent(ids[0]!)).map((r) => r.id);
  }

  it("cancels a run when a matching cancelOn event arrives, and only that run", async () => {
    const [a] = await start("c/start", { jobId: "j1" });
    const [b] = await start("c/start", { jobId: "j2" });
    await h.waitForStatus(a!, ["sleeping"]);
    await h.waitForStatus(b!, ["sleeping"]);
    await h.client.send({ name: "c/stop", data: { jobId: "j1" } });
    expect((await h.waitForStatus(a!, ["cancelled"])).status).toBe("cancelled");
    expect((await h.waitForStatus(b!, ["sleeping"])).status).toBe("sleeping");
    const pending = await h.sql`select count(*)::int as n from executor_queue where run_id = ${a!}`;
    expect(pending[0]?.n).toBe(0);
  });

  it("cancels a run through DELETE /v1/runs/:id and reports it through GET", async () => {
    const [runId] = await start("c/start", { jobId: "j3" });
    await h.waitForStatus(runId!, ["sleeping"]);
    const del = await fetch(`${h.executor.url}/v1/runs/${runId}`, { method: "DELETE", headers: h.apiHeaders });
    expect(del.status).toBe(200);
    expect(await del.json()).toMatchObject({ data: { run_id: runId, status: "cancelled", cancelled: true } });
    const get = await fetch(`${h.executor.url}/v1/runs/${runId}`, { headers: h.apiHeaders });
    const body = (await get.json()) as { data: { status: string; steps: { stepId: string }[] } };
    expect(body.data.status).toBe("cancelled");
    expect(body.data.steps.map((s) => s.stepId)).toEqual(["first", "long-nap"]);
    expect((await fetch(`${h.executor.url}/v1/runs/00000000-0000-0000-0000-000000000000`, { headers: h.apiHeaders })).status).toBe(404);
  });

  it("serializes runs that share a concurrency key while another key proceeds", async () => {
    const t0 = Date.now();
    const [a1] = await start("c/keyed", { key: "A" });
    const [a2] = await start("c/keyed", { key: "A" });
    const [b1] = await start("c/keyed", { key: "B" });
    for (const id of [a1, a2, b1]) await h.waitForStatus(id!, ["completed"], 10_000);
    const mine = spans.filter((s) => s.start >= t0);
    const [first, second] = mine.filter((s) => s.key === "A").sort((x, y) => x.start - y.start);
    const b = mine.find((s) => s.key === "B");
    expect(first && second && b).toBeTruthy();
    expect(second!.start).toBeGreaterThanOrEqual(first!.end);
    // B ran while A's first run was executing: a different key does not wait.
    expect(b!.start).toBeLessThan(first!.end);
  });

  it("skips a new run while a singleton run of the same key is active", async () => {
    const [first] = await start("c/single", { key: "s1" });
    const second = await start("c/single", { key: "s1" });
    const other = await start("c/single", { key: "s2" });
    expect(first).toBeDefined();
    expect(second).toHaveLength(0);
    expect(other).toHaveLength(1);
    await h.waitForStatus(first!, ["completed"]);
    expect(await start("c/single", { key: "s1" })).toHaveLength(1);
  });

  it("starts one run per idempotency key and per sender event id", async () => {
    expect(await start("c/idem", { requestId: "r-1" })).toHaveLength(1);
    expect(await start("c/idem", { requestId: "r-1" })).toHaveLength(0);
    expect(await start("c/idem", { requestId: "r-2" })).toHaveLength(1);
    const viaId = await h.client.send([
      { name: "c/start", data: { jobId: "dup" }, id: "op-123" },
      { name: "c/start", data: { jobId: "dup" }, id: "op-123" },
    ]);
    const runs = await h.sql`select id from executor_runs where event_id = any(${viaId.ids}::uuid[])`;
    expect(runs).toHaveLength(1);
    await fetch(`${h.executor.url}/v1/runs/${runs[0]!.id}`, { method: "DELETE", headers: h.apiHeaders });
  });

  it("drops runs over the rate limit of their key", async () => {
    const counts = [];
    for (const user of ["u1", "u1", "u1", "u2"]) counts.push((await start("c/limited", { user })).length);
    expect(counts).toEqual([1, 1, 0, 1]);
  });

  it("delays runs over the throttle limit into later windows instead of dropping them", async () => {
    // Send early in a window so the next window's start is still ahead when the queue is read.
    while (Date.now() % 1000 > 100) await new Promise((r) => setTimeout(r, 10));
    const { ids } = await h.client.send([1, 2, 3].map((n) => ({ name: "c/throttled", data: { n } })));
    const runs = await h.sql<{ id: string }[]>`select id from executor_runs where event_id = any(${ids}::uuid[])`;
    expect(runs).toHaveLength(3);
    // One slot per 1 s window: two runs wait for the starts of the next two windows.
    const delayed = await h.sql<{ run_at: Date }[]>`
      select run_at from executor_queue where run_id = any(${runs.map((r) => r.id)}::uuid[]) and run_at > now() order by run_at`;
    expect(delayed).toHaveLength(2);
    expect(delayed.map((d) => d.run_at.getUTCMilliseconds())).toEqual([0, 0]);
    expect(delayed[1]!.run_at.getTime() - delayed[0]!.run_at.getTime()).toBe(1000);
    for (const r of runs) await h.waitForStatus(r.id, ["completed"], 10_000);
    const sorted = [...throttledStarts].sort((a, b) => a - b);
    expect(sorted[2]! - sorted[0]!).toBeGreaterThanOrEqual(900);
  });

  it("cancels a run that exceeds its finish timeout", async () => {
    const [runId] = await start("c/bounded", {});
    const done = await h.waitForStatus(runId!, ["cancelled", "completed", "failed"], 5000);
    expect(done.status).toBe("cancelled");
    expect(done.error?.message).toContain("timed out");
  });

  it("starts the higher-priority run first when runs wait for a concurrency slot", async () => {
    const [first] = await start("c/prio", { label: "first", priority: 0 });
    await waitFor(async () => order.includes("first"), 5000, "the first run to hold the slot");
    const [low] = await start("c/prio", { label: "low", priority: -100 });
    const [high] = await start("c/prio", { label: "high", priority: 100 });
    for (const id of [first, low, high]) await h.waitForStatus(id!, ["completed"], 10_000);
    expect(order).toEqual(["first", "high", "low"]);
  });

  it("accepts out-of-band registration (POST /fn/register) when the app is PUT without in-band sync", async () => {
    const [before] = await h.sql<{ updated_at: Date }[]>`select updated_at from executor_functions where id = ${h.fnId("idem")}`;
    const res = await fetch(h.app.url, { method: "PUT", headers: h.signedHeaders("") });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-inngest-sync-kind")).toBe("out_of_band");
    const [after] = await h.sql<{ updated_at: Date }[]>`select updated_at from executor_functions where id = ${h.fnId("idem")}`;
    expect(after!.updated_at.getTime()).toBeGreaterThan(before!.updated_at.getTime());
  });

  it("lists the runs an event started (GET /v1/events/:id/runs)", async () => {
    const { ids } = await h.client.send({ name: "c/idem", data: { requestId: "r-events-api" } });
    const res = await fetch(`${h.executor.url}/v1/events/${ids[0]}/runs`, { headers: h.apiHeaders });
    const body = (await res.json()) as { data: { function_id: string }[] };
    expect(body.data.map((r) => r.function_id)).toEqual([h.fnId("idem")]);
  });

  it("fires a cron trigger when its time comes and schedules the next minute", async () => {
    const fnId = h.fnId("ticking");
    const [row] = await h.sql<{ next_at: Date }[]>`select next_at from executor_crons where function_id = ${fnId}`;
    expect(row!.next_at.getUTCSeconds()).toBe(0);
    expect(row!.next_at.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    const before = (await h.sql`select id from executor_runs where function_id = ${fnId}`).length;
    // Bring the schedule forward instead of waiting up to a minute for the wall clock.
    const forcedAt = Date.now();
    await h.sql`update executor_crons set next_at = now() - interval '1 second' where function_id = ${fnId}`;
    const runs = await waitFor(async () => {
      const r = await h.sql<{ id: string }[]>`select id from executor_runs where function_id = ${fnId} order by created_at desc`;
      return r.length > before ? r : undefined;
    }, 5000, "a cron run");
    const done = await h.waitForStatus(runs[0]!.id, ["completed"]);
    expect(done.output).toEqual({ cron: "* * * * *" });
    const [after] = await h.sql<{ next_at: Date }[]>`select next_at from executor_crons where function_id = ${fnId}`;
    expect(after!.next_at.getTime()).toBeGreaterThan(forcedAt);
    expect(after!.next_at.getUTCSeconds()).toBe(0);
    expect(after!.next_at.getTime() - forcedAt).toBeLessThanOrEqual(60_000);
  });
});

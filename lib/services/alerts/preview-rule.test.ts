import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { healthSamples } from "@/db/schema/health-samples";
import { actorContext, createTestUser } from "@/db/test/factories";
import { apiRequest, CONSOLE_ORIGIN, noParams, setTestAuthEnv, signedInCookie } from "@/lib/auth/test-support/session-cookie";
import { POST as previewRoute } from "@/app/api/v1/alert-rules/preview/route";
import { previewAlertRule } from "./preview-rule";

setTestAuthEnv();

const now = new Date();
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const name = `prev-${randomUUID().slice(0, 8)}`;
const other = `prev-other-${randomUUID().slice(0, 8)}`;

/** 30 minutes of samples: `name` has 12 dead letters from 25 to 15 minutes ago and again from 5 minutes ago; `other` never does. */
async function seed() {
  const rows = Array.from({ length: 30 }, (_, i) => {
    const m = 30 - i;
    const dead = (m <= 25 && m > 15) || m <= 5 ? 12 : 0;
    return {
      at: minutesAgo(m),
      status: m === 10 ? ("unhealthy" as const) : ("healthy" as const),
      components: {},
      rssBytes: 1,
      heapUsedBytes: 1,
      diskFree: {},
      collections: [
        { id: "a", name, points: 0, documents: 0, deadLetters: dead },
        { id: "b", name: other, points: 0, documents: 0, deadLetters: 0 },
      ],
      runningOperations: 0,
      waitingOperations: 0,
      deadLetters: dead,
    };
  });
  // One from two days ago: outside the 24 h.
  rows.push({ ...rows[0]!, at: new Date(now.getTime() - 48 * 3600_000), collections: [{ id: "a", name, points: 0, documents: 0, deadLetters: 99 }] });
  await getDb().insert(healthSamples).values(rows);
}

describe("rule preview", () => {
  it("replays the stored samples of the last 24 h: two firings of one collection, the first resolved, with their peaks; the 'for' delays them", async () => {
    await seed();
    const admin = await actorContext("admin");
    const preview = await previewAlertRule({ ctx: admin, now, input: { source: "dead_letters", matchers: { collection: name }, operator: "gt", threshold: "10" } });
    expect(preview).toMatchObject({ supported: true, samples: 30, total: 2 });
    expect(preview.firings.map((f) => [f.labels.collection, f.firedAt.getTime(), f.resolvedAt?.getTime() ?? null, f.peak])).toEqual([
      [name, minutesAgo(5).getTime(), null, 12],
      [name, minutesAgo(25).getTime(), minutesAgo(15).getTime(), 12],
    ]);
    const delayed = await previewAlertRule({ ctx: admin, now, input: { source: "dead_letters", matchers: { collection: name }, threshold: 10, forSeconds: 300 } });
    // 10 minutes above from 25 minutes ago: fires 5 minutes in; the second stretch (5 to 1 minutes ago) never held for 5 minutes.
    expect(delayed.firings.map((f) => [f.firedAt.getTime(), f.resolvedAt?.getTime()])).toEqual([[minutesAgo(20).getTime(), minutesAgo(15).getTime()]]);
    const unhealthy = await previewAlertRule({ ctx: admin, now, input: { source: "health_unhealthy", threshold: 0 } });
    expect(unhealthy.firings.map((f) => [f.firedAt.getTime(), f.resolvedAt?.getTime()])).toEqual([[minutesAgo(10).getTime(), minutesAgo(9).getTime()]]);
    expect(await previewAlertRule({ ctx: admin, now, input: { source: "breaker_open" } })).toMatchObject({ supported: false, firings: [], message: expect.stringContaining("cannot be previewed") });
  });

  it("is for admins only, and answers over REST (400 on a bad field)", async () => {
    await expect(previewAlertRule({ ctx: await actorContext("viewer"), input: { source: "dead_letters" } })).rejects.toMatchObject({ code: "forbidden" });
    const admin = await createTestUser("admin");
    const { cookie } = await signedInCookie(admin.email);
    const post = (body: unknown) => previewRoute(apiRequest("/api/v1/alert-rules/preview", { method: "POST", cookie, origin: CONSOLE_ORIGIN, headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), noParams);
    const ok = await post({ source: "dead_letters", threshold: 1000 });
    expect(ok.status).toBe(200);
    expect((await ok.json()).data).toMatchObject({ supported: true, total: 0 });
    expect((await post({ source: "nope" })).status).toBe(400);
  });
});

import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alertDeliveries, alerts } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { actorContext } from "@/db/test/factories";
import { notificationEvents } from "@/lib/alerts/notify";
import { startHttpReceiver } from "@/lib/alerts/test-support/receivers";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import { waitFor } from "../local-executor/test-support/app-server";

describe("grouped notifications", () => {
  it("give each channel one event per rule and kind, whatever the order, and one per alert when alone", () => {
    const n = (alertId: string, ruleId = "r1", kind: "firing" | "resolved" = "firing") => ({ alertId, ruleId, kind, fireCount: 1, channelIds: ["c1", "c2"] });
    const events = notificationEvents([n("a2"), n("a1"), n("b1", "r2"), n("a3", "r1", "resolved")]);
    expect(events.map((e) => [e.data.channelId, e.data.group?.map((g) => g.alertId) ?? e.data.alertId])).toEqual([
      ["c1", ["a1", "a2"]],
      ["c2", ["a1", "a2"]],
      ["c1", "b1"],
      ["c2", "b1"],
      ["c1", "a3"],
      ["c2", "a3"],
    ]);
    // The same alerts in another order make the same ids, so a resent tick is dropped.
    expect(notificationEvents([n("a1"), n("a2")]).map((e) => e.id)).toEqual(events.slice(0, 2).map((e) => e.id));
    expect(new Set(events.map((e) => e.id)).size).toBe(6);
  });
});

/** Several alerts of one rule firing in one evaluation: each channel hears of them in one message. */
describe("evaluate-alerts grouping through the local executor", () => {
  let h: PipelineHarness;
  let web: Awaited<ReturnType<typeof startHttpReceiver>>;

  beforeAll(async () => {
    web = await startHttpReceiver();
    h = await startPipelineHarness({ STEVEDORE_ALERT_EVAL_CRON: "* * * * * *", NEXTAUTH_SECRET: "grouped-notifications-test-secret-0123456789" });
  });
  afterAll(async () => {
    await h?.close();
    await web?.close();
  });

  it("sends one webhook listing the three alerts that fired together, and logs the delivery as covering all three", async () => {
    const admin = await actorContext("admin");
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createAlertRule } = await import("@/lib/services/alerts/create-rule");
    const hook = await createChannel({ ctx: admin, input: { type: "webhook", name: `group ${randomUUID()}`, url: `${web.url}/group` } });
    const rule = await createAlertRule({ ctx: admin, input: { name: `grouped ${randomUUID()}`, source: "operation_failed", channelIds: [hook.id] } });
    const cs = await getDb()
      .insert(collections)
      .values([0, 1, 2].map((i) => ({ name: `grp-${i}-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb" as const, status: "ready" as const })))
      .returning();
    await getDb().insert(operations).values(cs.map((c) => ({ type: "INDEX" as const, collectionId: c.id, status: "failed" as const, correlationId: randomUUID(), finishedAt: new Date() })));

    await waitFor(() => Promise.resolve(web.received.filter((p) => p.path === "/group").length), 15_000, "the grouped webhook");
    await new Promise((r) => setTimeout(r, 2500)); // more ticks: nothing more is sent
    const posts = web.received.filter((p) => p.path === "/group");
    expect(posts).toHaveLength(1);
    const body = JSON.parse(posts[0]!.body);
    const fired = await getDb().select().from(alerts).where(eq(alerts.ruleId, rule.id));
    expect(fired).toHaveLength(3);
    expect(body.kind).toBe("firing");
    expect(body.alerts.map((a: { id: string }) => a.id).sort()).toEqual(fired.map((a) => a.id).sort());
    expect(body.alerts.every((a: { ackUrl?: string }) => a.ackUrl?.includes(`/alerts/${(a as { id: string }).id}/ack?token=`))).toBe(true);
    const deliveries = await getDb().select().from(alertDeliveries).where(eq(alertDeliveries.channelId, hook.id));
    expect(deliveries).toHaveLength(1);
    expect([...deliveries[0]!.alertIds].sort()).toEqual(fired.map((a) => a.id).sort());
  });
});

import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alertRules, alerts } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { ackToken, ACK_LINK_TTL_S } from "@/lib/alerts/ack-link";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { alertMessage } from "@/lib/alerts/message";
import { reloadEnv } from "@/lib/env";
import { anonymousContext } from "../context";
import { acknowledgeAlert } from "./acknowledge";
import { acknowledgeAlertByLink } from "./acknowledge-by-link";
import { getAlert, listAlerts } from "./list-alerts";
import { resolveAlert } from "./resolve";

beforeAll(() => {
  process.env.NEXTAUTH_SECRET ??= "test-secret-for-ack-links-0123456789";
  reloadEnv();
});

/** A rule on its own collection's failed INDEX, fired by one evaluation. */
async function firingAlert() {
  const [c] = await getDb()
    .insert(collections)
    .values({ name: `ack-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
    .returning();
  const [rule] = await getDb().insert(alertRules).values({ name: `ack ${randomUUID()}`, kind: "event", source: "operation_failed", matchers: { collection: c!.name } }).returning();
  await getDb().insert(operations).values({ type: "INDEX", collectionId: c!.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
  await evaluateAlerts();
  const [alert] = await getDb().select().from(alerts).where(eq(alerts.ruleId, rule!.id));
  expect(alert!.status).toBe("firing");
  return { alert: alert!, rule: rule!, collectionId: c!.id };
}

describe("acknowledge and resolve", () => {
  it("acknowledge with a reason (operators), refuse a second time and viewers, and resolve by hand clearing the acknowledgement", async () => {
    const { alert } = await firingAlert();
    const operator = await actorContext("operator");
    const viewer = await actorContext("viewer");
    await expect(acknowledgeAlert({ ctx: viewer, input: { alertId: alert.id, reason: "mine" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(acknowledgeAlert({ ctx: operator, input: { alertId: alert.id, reason: " " } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { reason: ["Say why, in a few words."] } });
    const acked = await acknowledgeAlert({ ctx: operator, input: { alertId: alert.id, reason: "restarting the embedder" } });
    expect(acked).toMatchObject({ status: "acknowledged", acknowledgedBy: operator.actor.email, ackReason: "restarting the embedder" });
    await expect(acknowledgeAlert({ ctx: operator, input: { alertId: alert.id, reason: "again" } })).rejects.toMatchObject({ code: "conflict", message: `Already acknowledged by ${operator.actor.email}.` });
    // The condition still holds: evaluation keeps the acknowledgement.
    await evaluateAlerts();
    expect((await getAlert({ ctx: viewer, input: { alertId: alert.id } })).alert).toMatchObject({ status: "acknowledged", ackReason: "restarting the embedder" });
    expect((await listAlerts({ ctx: viewer, input: { status: "acknowledged" } })).map((a) => a.alert.id)).toContain(alert.id);

    const resolved = await resolveAlert({ ctx: operator, input: { alertId: alert.id, reason: "fixed the source" } });
    expect(resolved).toMatchObject({ status: "resolved", resolvedBy: operator.actor.email, resolveReason: "fixed the source", acknowledgedAt: null, acknowledgedBy: null, ackReason: null });
    await expect(resolveAlert({ ctx: operator, input: { alertId: alert.id, reason: "x" } })).rejects.toMatchObject({ code: "conflict" });
    expect((await auditRowsOf(operator.correlationId)).map((r) => [r.action, r.outcome])).toEqual([
      ["alert.acknowledge", "failure"],
      ["alert.acknowledge", "success"],
      ["alert.acknowledge", "failure"],
      ["alert.resolve", "success"],
      ["alert.resolve", "failure"],
    ]);
    expect((await auditRowsOf(viewer.correlationId)).map((r) => [r.action, r.outcome])).toEqual([["alert.acknowledge", "denied"]]);
  });

  it("clear an acknowledgement when the condition resolves on its own", async () => {
    const { alert, collectionId } = await firingAlert();
    await acknowledgeAlert({ ctx: await actorContext("operator"), input: { alertId: alert.id, reason: "on it" } });
    await getDb().insert(operations).values({ type: "INDEX", collectionId, status: "succeeded", correlationId: randomUUID(), finishedAt: new Date(Date.now() + 1000) });
    await evaluateAlerts();
    expect((await getDb().select().from(alerts).where(eq(alerts.id, alert.id)))[0]).toMatchObject({ status: "resolved", acknowledgedAt: null, acknowledgedBy: null, ackReason: null });
  });

  it("acknowledge from the signed link in a firing's message, without a session, and refuse a forged, expired or earlier firing's link", async () => {
    const { alert, rule } = await firingAlert();
    const channelId = randomUUID();
    const message = alertMessage("firing", alert, rule, channelId);
    const url = new URL(/Acknowledge: (\S+)/.exec(message.text)![1]!);
    expect(url.pathname).toBe(`/alerts/${alert.id}/ack`);
    expect((message.payload.alert as { ackUrl: string }).ackUrl).toBe(url.toString());
    const token = url.searchParams.get("token")!;
    const ctx = anonymousContext("acknowledge link", "127.0.0.1");

    await expect(acknowledgeAlertByLink({ ctx, input: { alertId: alert.id, token: token.replace(/.$/, (c) => (c === "A" ? "B" : "A")) } })).rejects.toMatchObject({ code: "forbidden", message: "This link is not valid." });
    await expect(acknowledgeAlertByLink({ ctx, input: { alertId: randomUUID(), token } })).rejects.toMatchObject({ code: "forbidden" });
    const expired = ackToken(alert.id, alert.fireCount, channelId, Date.now() - (ACK_LINK_TTL_S + 60) * 1000)!;
    await expect(acknowledgeAlertByLink({ ctx, input: { alertId: alert.id, token: expired } })).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("expired") });
    const earlier = ackToken(alert.id, alert.fireCount - 1, channelId)!;
    await expect(acknowledgeAlertByLink({ ctx, input: { alertId: alert.id, token: earlier } })).rejects.toMatchObject({ code: "conflict" });

    const acked = await acknowledgeAlertByLink({ ctx, input: { alertId: alert.id, token, reason: "" } });
    expect(acked).toMatchObject({ status: "acknowledged", acknowledgedBy: `link sent to channel ${channelId}`, ackReason: "Acknowledged from the notification link." });
    expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.error])).toEqual([
      ["alert.acknowledge", "denied", "ack link invalid"],
      ["alert.acknowledge", "denied", "ack link invalid"],
      ["alert.acknowledge", "denied", "ack link expired"],
      ["alert.acknowledge", "failure", "This link was for an earlier firing of the alert."],
      ["alert.acknowledge", "success", null],
    ]);
    expect(alertMessage("resolved", acked, rule, channelId).text).not.toContain("Acknowledge:");
  });
});

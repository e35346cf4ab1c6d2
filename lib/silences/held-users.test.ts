import { randomUUID } from "node:crypto";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alertDeliveries, alerts } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { heldNotifications } from "@/db/schema/silences";
import { actorContext, createTestUser } from "@/db/test/factories";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import { startHttpReceiver, startSmtpReceiver } from "@/lib/alerts/test-support/receivers";
import { setTestAuthEnv } from "@/lib/auth/test-support/session-cookie";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";

/**
 * An escalation level's users while a silence holds the alert, through the local executor (the
 * evaluator and its sweep tick every second) and the real SMTP mailer: held like a channel's
 * notification, and told once when the silence ends, or dropped when the alert resolved meanwhile.
 */
describe("users held by a silence", () => {
  let h: PipelineHarness;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let web: Awaited<ReturnType<typeof startHttpReceiver>>;
  let admin: ServiceContext;
  let operator: ServiceContext;

  beforeAll(async () => {
    setTestAuthEnv();
    smtp = await startSmtpReceiver();
    web = await startHttpReceiver();
    h = await startPipelineHarness({ STEVEDORE_ALERT_EVAL_CRON: "* * * * * *", STEVEDORE_SMTP_URL: smtp.url, STEVEDORE_ALERT_EMAIL_FROM: "alerts@stevedore.test" });
    admin = await actorContext("admin");
    operator = await actorContext("operator");
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
    await web?.close();
  });

  /** A silenced collection whose INDEX failed, with a rule escalating to the user (and, at level 0, a webhook channel). */
  async function silencedFailure(prefix: string) {
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createAlertRule } = await import("@/lib/services/alerts/create-rule");
    const { createEscalationPolicy } = await import("@/lib/services/alerts/escalation-policies");
    const { createSilence } = await import("@/lib/services/silences/create-silence");
    const user = await createTestUser("operator", { name: `${prefix} on-call` });
    const hookPath = `/${prefix}-${randomUUID().slice(0, 6)}`;
    const hook = await createChannel({ ctx: admin, input: { type: "webhook", name: `hook ${randomUUID()}`, url: `${web.url}${hookPath}` } });
    const policy = await createEscalationPolicy({
      ctx: admin,
      input: { name: `held ${randomUUID()}`, levels: [{ channelIds: [hook.id], userIds: [user.id], delaySeconds: 0 }, { userIds: [user.id], delaySeconds: 1 }] },
    });
    const [c] = await getDb()
      .insert(collections)
      .values({ name: `${prefix}-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
      .returning();
    const silence = await createSilence({ ctx: operator, input: { matchers: [{ label: "collection", op: "=", value: c!.name }], endsAt: new Date(Date.now() + 3_600_000).toISOString(), comment: `quiet ${c!.name}` } });
    const rule = await createAlertRule({ ctx: admin, input: { name: `held user ${c!.name}`, source: "operation_failed", matchers: { collection: c!.name }, severity: "critical", escalationPolicyId: policy.id } });
    await getDb().insert(operations).values({ type: "INDEX", collectionId: c!.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
    const alert = await waitFor(async () => (await getDb().select().from(alerts).where(eq(alerts.ruleId, rule.id)))[0], 15_000, "the alert");
    const heldRows = () => getDb().select().from(heldNotifications).where(eq(heldNotifications.alertId, alert.id));
    // Both levels' user notifications and level 0's channel one are held.
    await waitFor(async () => ((await heldRows()).filter((r) => r.userId === user.id).length >= 2 ? true : undefined), 20_000, "both levels' user notifications held");
    const mailsTo = () => smtp.mails.filter((m) => m.to.includes(user.email));
    const posts = () => web.received.filter((p) => p.path === hookPath);
    return { user, collection: c!, silence, alert, heldRows, mailsTo, posts };
  }

  it("holds a level's email to a user while the silence holds, and emails the user exactly once after it ends", async () => {
    const { expireSilence } = await import("@/lib/services/silences/change-silence");
    const { user, silence, alert, heldRows, mailsTo, posts } = await silencedFailure("held-user");
    await new Promise((r) => setTimeout(r, 2500)); // more ticks while the silence holds
    expect(mailsTo()).toHaveLength(0);
    expect(posts()).toHaveLength(0);
    const rows = await heldRows();
    expect(rows.filter((r) => r.userId === user.id).map((r) => [r.channelId, r.kind, r.silenceId, r.releasedAt])).toEqual([
      [null, "firing", silence.id, null],
      [null, "firing", silence.id, null],
    ]);
    expect(rows.filter((r) => r.channelId).map((r) => [r.userId, r.kind, r.releasedAt])).toEqual([[null, "firing", null]]);
    expect(await getDb().select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alert.id))).toEqual([]);

    await expireSilence({ ctx: operator, input: { silenceId: silence.id } });
    await waitFor(() => Promise.resolve(mailsTo().length || undefined), 20_000, "the user's held email, released");
    await new Promise((r) => setTimeout(r, 3000)); // more ticks: nothing may tell the user again
    expect(mailsTo()).toHaveLength(1);
    expect(mailsTo()[0]!.raw).toContain(`[FIRING critical]`);
    expect(posts()).toHaveLength(1);
    expect((await heldRows()).map((r) => r.outcome)).toEqual(["told", "told", "told"]);
    const toUser = await getDb().select().from(alertDeliveries).where(and(eq(alertDeliveries.alertId, alert.id), eq(alertDeliveries.userId, user.id)));
    expect(toUser.map((d) => [d.status, d.channelId, d.recipient, d.kind])).toEqual([["sent", null, user.email, "firing"]]);
    expect(toUser[0]!.notificationKey).toContain(`-firing-user-${user.id}-released-`);
  }, 120_000);

  it("drops a user's held email when the alert resolves while held (its firing never told): no email after the silence ends", async () => {
    const { expireSilence } = await import("@/lib/services/silences/change-silence");
    const { user, collection, silence, alert, heldRows, mailsTo } = await silencedFailure("resolved-user");
    // The condition goes: an INDEX of the collection succeeds, and the alert resolves at the next tick.
    await getDb().insert(operations).values({ type: "INDEX", collectionId: collection.id, status: "succeeded", correlationId: randomUUID(), finishedAt: new Date(Date.now() + 1000) });
    await waitFor(async () => ((await getDb().select().from(alerts).where(eq(alerts.id, alert.id)))[0]?.status === "resolved" ? true : undefined), 20_000, "the alert to resolve");

    await expireSilence({ ctx: operator, input: { silenceId: silence.id } });
    await waitFor(async () => ((await getDb().select().from(heldNotifications).where(and(eq(heldNotifications.alertId, alert.id), isNotNull(heldNotifications.releasedAt)))).length === 3 ? true : undefined), 20_000, "the held rows released");
    await new Promise((r) => setTimeout(r, 3000)); // more ticks: nothing may tell the user
    expect(mailsTo()).toHaveLength(0);
    expect((await heldRows()).filter((r) => r.userId === user.id).map((r) => r.outcome)).toEqual(["dropped: resolved while held", "dropped: resolved while held"]);
    expect(await getDb().select().from(alertDeliveries).where(and(eq(alertDeliveries.alertId, alert.id), eq(alertDeliveries.userId, user.id)))).toEqual([]);
  }, 120_000);
});

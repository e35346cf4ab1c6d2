import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alertDeliveries, alerts } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { actorContext } from "@/db/test/factories";
import { verifyWebhookSignature } from "@/lib/alerts/signature";
import { startHttpReceiver, startSmtpReceiver } from "@/lib/alerts/test-support/receivers";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import { waitFor } from "../local-executor/test-support/app-server";

/** A mail's headers as one line each (long ones are folded onto the next line). */
const unfolded = (raw: string) => raw.replace(/\r\n[ \t]+/g, " ");

/** Evaluation every second by the real cron trigger, notifications by notify-channel, all through the local executor. */
describe("evaluate-alerts and notify-channel through the local executor", () => {
  let h: PipelineHarness;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let web: Awaited<ReturnType<typeof startHttpReceiver>>;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    web = await startHttpReceiver([500, 500]);
    h = await startPipelineHarness({ STEVEDORE_ALERT_EVAL_CRON: "* * * * * *", STEVEDORE_SMTP_URL: smtp.url, STEVEDORE_ALERT_EMAIL_FROM: "alerts@stevedore.test" });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
    await web?.close();
  });

  it("tells an email and a webhook channel once when an operation fails, retrying the failing receiver with each attempt logged, and once when it resolves", async () => {
    const admin = await actorContext("admin");
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createAlertRule } = await import("@/lib/services/alerts/create-rule");
    const hook = await createChannel({ ctx: admin, input: { type: "webhook", name: `hook ${randomUUID()}`, url: `${web.url}/hook` } });
    const mail = await createChannel({ ctx: admin, input: { type: "email", name: `mail ${randomUUID()}`, to: ["oncall@example.test"] } });
    const [collection] = await getDb()
      .insert(collections)
      .values({ name: `alerting-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
      .returning();
    const rule = await createAlertRule({ ctx: admin, input: { name: `failed ${randomUUID()}`, source: "operation_failed", matchers: { collection: collection!.name }, severity: "critical", description: "{{type}} of {{collection}} failed", channelIds: [hook.id, mail.id] } });

    await getDb().insert(operations).values({ type: "INDEX", collectionId: collection!.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
    const alert = await waitFor(async () => (await getDb().select().from(alerts).where(eq(alerts.ruleId, rule.id)))[0], 15_000, "the alert to fire");
    expect(alert).toMatchObject({ status: "firing", fireCount: 1, summary: `INDEX of ${collection!.name} failed` });

    const log = () => getDb().select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alert.id)).orderBy(asc(alertDeliveries.createdAt), asc(alertDeliveries.attempt));
    await waitFor(async () => (await log()).some((d) => d.channelId === hook.id && d.status === "sent"), 20_000, "the webhook to get through");
    await waitFor(() => Promise.resolve(smtp.mails.length > 0), 10_000, "the email");

    const firing = (await log()).filter((d) => d.kind === "firing");
    expect(firing.filter((d) => d.channelId === hook.id).map((d) => [d.attempt, d.status, d.responseCode, d.error])).toEqual([
      [1, "failed", 500, "HTTP 500"],
      [2, "failed", 500, "HTTP 500"],
      [3, "sent", 200, null],
    ]);
    expect(new Set(firing.filter((d) => d.channelId === hook.id).map((d) => d.notificationKey)).size).toBe(1);
    expect(firing.filter((d) => d.channelId === mail.id).map((d) => [d.attempt, d.status, d.responseCode])).toEqual([[1, "sent", 250]]);
    expect(smtp.mails).toHaveLength(1);
    expect(unfolded(smtp.mails[0]!.raw)).toContain(`Subject: [FIRING critical] ${rule.name}: INDEX of ${collection!.name} failed`);
    const secret = (hook.config as { secret: string }).secret;
    for (const post of web.received) {
      expect(verifyWebhookSignature(secret, post.headers["x-stevedore-timestamp"] as string, post.headers["x-stevedore-signature"] as string, post.body)).toEqual({ ok: true });
      expect(JSON.parse(post.body)).toMatchObject({ kind: "firing", alert: { id: alert.id, labels: { collection: collection!.name, type: "INDEX" } } });
    }

    // It recovers: an INDEX of that collection succeeds.
    await getDb().insert(operations).values({ type: "INDEX", collectionId: collection!.id, status: "succeeded", correlationId: randomUUID(), finishedAt: new Date(Date.now() + 1000) });
    await waitFor(async () => (await log()).filter((d) => d.kind === "resolved" && d.status === "sent").length === 2, 15_000, "both resolutions");
    await new Promise((r) => setTimeout(r, 2500)); // more ticks: none may tell again
    const all = await log();
    expect(all.filter((d) => d.kind === "resolved").map((d) => [d.channelId === hook.id ? "hook" : "mail", d.attempt, d.status]).sort()).toEqual([["hook", 1, "sent"], ["mail", 1, "sent"]]);
    expect(all.filter((d) => d.kind === "firing")).toHaveLength(4);
    expect(smtp.mails).toHaveLength(2);
    expect(unfolded(smtp.mails[1]!.raw)).toContain(`Subject: [RESOLVED] ${rule.name}`);
    expect(web.received.map((p) => [JSON.parse(p.body).kind, p.answered])).toEqual([["firing", 500], ["firing", 500], ["firing", 200], ["resolved", 200]]);
    expect((await getDb().select().from(alerts).where(eq(alerts.id, alert.id)))[0]).toMatchObject({ status: "resolved", fireCount: 1 });
  });
});

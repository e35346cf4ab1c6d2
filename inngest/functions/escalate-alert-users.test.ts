import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alertDeliveries, alerts } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { actorContext, createTestUser } from "@/db/test/factories";
import { startHttpReceiver, startSmtpReceiver } from "@/lib/alerts/test-support/receivers";
import { setTestAuthEnv } from "@/lib/auth/test-support/session-cookie";
import { anonymousContext } from "@/lib/services/context";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import { waitFor } from "../local-executor/test-support/app-server";

/** A mail's body as written: quoted-printable soft breaks joined and `=3D` decoded (enough for a link). */
const plain = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");

/** A level naming a user, through the local executor: the user is emailed at their account address by the real SMTP mailer. */
describe("escalate-alert to a user", () => {
  let h: PipelineHarness;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let web: Awaited<ReturnType<typeof startHttpReceiver>>;

  beforeAll(async () => {
    setTestAuthEnv();
    // The first message is refused with a 451: the delivery retries, and the user must get one email, not two.
    smtp = await startSmtpReceiver({ refuse: 1 });
    web = await startHttpReceiver();
    h = await startPipelineHarness({ STEVEDORE_ALERT_EVAL_CRON: "* * * * * *", STEVEDORE_SMTP_URL: smtp.url, STEVEDORE_ALERT_EMAIL_FROM: "alerts@stevedore.test" });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
    await web?.close();
  });

  it("emails the user of level 2 once, after a refused first attempt, logs both attempts with the user, and its link acknowledges as that user", async () => {
    const admin = await actorContext("admin");
    const oncall = await createTestUser("operator", { name: "Ada On-call" });
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createAlertRule } = await import("@/lib/services/alerts/create-rule");
    const { createEscalationPolicy } = await import("@/lib/services/alerts/escalation-policies");
    const { acknowledgeAlertByLink } = await import("@/lib/services/alerts/acknowledge-by-link");
    const { getAlertHistory } = await import("@/lib/services/alerts/alert-history");
    const { deliverToUser } = await import("@/lib/alerts/user-delivery");
    const first = await createChannel({ ctx: admin, input: { type: "webhook", name: `first ${randomUUID()}`, url: `${web.url}/first` } });
    const policy = await createEscalationPolicy({ ctx: admin, input: { name: `users ${randomUUID()}`, levels: [{ channelIds: [first.id], delaySeconds: 0 }, { userIds: [oncall.id], delaySeconds: 1 }] } });
    const [c] = await getDb()
      .insert(collections)
      .values({ name: `esc-user-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
      .returning();
    const rule = await createAlertRule({ ctx: admin, input: { name: `esc user ${c!.name}`, source: "operation_failed", matchers: { collection: c!.name }, severity: "critical", escalationPolicyId: policy.id } });
    await getDb().insert(operations).values({ type: "INDEX", collectionId: c!.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
    const alert = await waitFor(async () => (await getDb().select().from(alerts).where(eq(alerts.ruleId, rule.id)))[0], 15_000, "the alert");

    const log = () => getDb().select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alert.id)).orderBy(asc(alertDeliveries.createdAt), asc(alertDeliveries.attempt));
    await waitFor(async () => (await log()).some((d) => d.userId === oncall.id && d.status === "sent"), 20_000, "the user's email to get through");
    await new Promise((r) => setTimeout(r, 2500)); // more ticks and the escalation's end: nothing may tell the user again
    expect(smtp.refusals()).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail!.to).toEqual([oncall.email]);
    expect(mail!.from).toBe("alerts@stevedore.test");
    expect(mail!.raw).toContain(`[FIRING critical] ${rule.name}`);

    const toUser = (await log()).filter((d) => d.userId === oncall.id);
    expect(toUser.map((d) => [d.attempt, d.status, d.channelId, d.recipient, d.kind])).toEqual([
      [1, "failed", null, oncall.email, "firing"],
      [2, "sent", null, oncall.email, "firing"],
    ]);
    expect(toUser[0]!.responseCode).toBe(451);
    expect(new Set(toUser.map((d) => d.notificationKey)).size).toBe(1);
    expect((await log()).filter((d) => d.channelId === first.id).map((d) => d.status)).toEqual(["sent"]);

    // A step re-run after a crash (the send done, its result never checkpointed) finds the delivery logged and sends nothing.
    const rerun = await deliverToUser({ alertId: alert.id, userId: oncall.id, kind: "firing", fireCount: alert.fireCount, notificationKey: toUser[0]!.notificationKey });
    expect(rerun).toMatchObject({ status: "sent", reason: "already delivered", attempt: 2 });
    expect(smtp.mails).toHaveLength(1);

    // The alert's page names the user told.
    const history = await getAlertHistory({ ctx: admin, input: { alertId: alert.id } });
    expect(history.deliveries.filter((d) => d.userId === oncall.id).map((d) => [d.userName, d.recipient, d.channel])).toEqual([
      ["Ada On-call", oncall.email, null],
      ["Ada On-call", oncall.email, null],
    ]);

    // The email's own link acknowledges, named as the user it was sent to.
    const token = decodeURIComponent(/\/ack\?token=([^\s]+)/.exec(plain(mail!.raw))![1]!);
    const acked = await acknowledgeAlertByLink({ ctx: anonymousContext("acknowledge link", "127.0.0.1"), input: { alertId: alert.id, token, reason: "on it" } });
    expect(acked).toMatchObject({ status: "acknowledged", acknowledgedBy: `the link emailed to ${oncall.email}`, ackReason: "on it" });
  });
});

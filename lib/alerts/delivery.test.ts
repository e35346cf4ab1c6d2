import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alertDeliveries } from "@/db/schema/alerts";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { reloadEnv } from "@/lib/env";
import { freePort } from "@/lib/runtime/embedded-postgres";
import { createChannel } from "@/lib/services/alerts/create-channel";
import { deleteChannel } from "@/lib/services/alerts/delete-channel";
import { listChannels, listDeliveries } from "@/lib/services/alerts/list-channels";
import { sendTestNotification } from "@/lib/services/alerts/test-channel";
import { updateChannel } from "@/lib/services/alerts/update-channel";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook, verifyWebhookSignature } from "./signature";
import { startHttpReceiver, startSmtpReceiver } from "./test-support/receivers";

let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let web: Awaited<ReturnType<typeof startHttpReceiver>>;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  web = await startHttpReceiver();
  process.env.STEVEDORE_SMTP_URL = smtp.url;
  process.env.STEVEDORE_ALERT_EMAIL_FROM = "alerts@stevedore.test";
  reloadEnv();
});
afterAll(async () => {
  await smtp?.close();
  await web?.close();
});

const unique = (s: string) => `${s} ${Math.random().toString(36).slice(2, 8)}`;

describe("channels and the delivery log", () => {
  it("send a test email through a real SMTP server, logged as sent with its SMTP code, and audited", async () => {
    const admin = await actorContext("admin");
    const channel = await createChannel({ ctx: admin, input: { type: "email", name: unique("On-call mail"), to: ["oncall@example.test", "lead@example.test"] } });
    const result = await sendTestNotification({ ctx: admin, input: { channelId: channel.id } });
    expect(result).toMatchObject({ ok: true, responseCode: 250, error: null });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ from: "alerts@stevedore.test", to: ["oncall@example.test", "lead@example.test"] });
    expect(smtp.mails[0]!.raw).toContain(`Subject: [TEST] Stevedore channel ${channel.name}`);
    const log = await listDeliveries({ ctx: admin, input: { channelId: channel.id } });
    expect(log.map((l) => [l.delivery.kind, l.delivery.status, l.delivery.attempt, l.delivery.responseCode, l.delivery.alertId])).toEqual([["test", "sent", 1, 250, null]]);
    expect((await auditRowsOf(admin.correlationId)).map((r) => [r.action, r.outcome, r.targetId])).toEqual([
      ["channel.create", "success", channel.id],
      ["channel.test", "success", channel.id],
    ]);
  });

  it("post a Slack-shaped message and a webhook signed over timestamp and body, which the receiver verifies and a replay fails", async () => {
    const admin = await actorContext("admin");
    const slack = await createChannel({ ctx: admin, input: { type: "slack", name: unique("Slack"), url: `${web.url}/slack` } });
    const hook = await createChannel({ ctx: admin, input: { type: "webhook", name: unique("Hook"), url: `${web.url}/hook` } });
    const secret = (hook.config as { secret: string }).secret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect((await listChannels({ ctx: admin })).find((c) => c.id === hook.id)!.config).toEqual({ url: `${web.url}/hook`, secret: `${secret.slice(0, 4)}…` });

    expect(await sendTestNotification({ ctx: admin, input: { channelId: slack.id } })).toMatchObject({ ok: true, responseCode: 200 });
    expect(await sendTestNotification({ ctx: admin, input: { channelId: hook.id } })).toMatchObject({ ok: true, responseCode: 200 });
    const [slackPost, hookPost] = web.received.slice(-2);
    expect(slackPost!.path).toBe("/slack");
    expect(JSON.parse(slackPost!.body)).toEqual({ text: expect.stringContaining(`[TEST] Stevedore channel ${slack.name}`) });
    expect(hookPost!.path).toBe("/hook");
    expect(JSON.parse(hookPost!.body)).toMatchObject({ version: 1, kind: "test", channel: hook.name });
    const ts = hookPost!.headers[TIMESTAMP_HEADER] as string;
    const sig = hookPost!.headers[SIGNATURE_HEADER] as string;
    expect(verifyWebhookSignature(secret, ts, sig, hookPost!.body)).toEqual({ ok: true });
    expect(verifyWebhookSignature(secret, ts, sig, hookPost!.body.replace("test", "tset"))).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature("another secret of 16+", ts, sig, hookPost!.body)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature(secret, ts, sig, hookPost!.body, (Number(ts) + 301) * 1000)).toEqual({ ok: false, reason: "stale" });
    expect(verifyWebhookSignature(secret, undefined, sig, hookPost!.body)).toEqual({ ok: false, reason: "missing" });
    // A replay with a fresh timestamp but the old signature does not pass either.
    expect(verifyWebhookSignature(secret, String(Number(ts) + 1), sig, hookPost!.body)).toEqual({ ok: false, reason: "mismatch" });
    expect(signWebhook(secret, Number(ts), hookPost!.body)).toBe(sig);
  });

  it("log a failing receiver's status and a refused connection as failed, in classified words", async () => {
    const admin = await actorContext("admin");
    web.answerNext(500);
    const hook = await createChannel({ ctx: admin, input: { type: "webhook", name: unique("Down"), url: `${web.url}/down`, secret: "s".repeat(16) } });
    expect(await sendTestNotification({ ctx: admin, input: { channelId: hook.id } })).toMatchObject({ ok: false, responseCode: 500, error: "HTTP 500" });
    await updateChannel({ ctx: admin, input: { channelId: hook.id, url: `http://127.0.0.1:${await freePort()}/nothing` } });
    expect(await sendTestNotification({ ctx: admin, input: { channelId: hook.id } })).toMatchObject({ ok: false, responseCode: null, error: "connection refused" });
    const rows = await getDb().select().from(alertDeliveries).where(eq(alertDeliveries.channelId, hook.id));
    expect(rows.map((r) => [r.status, r.responseCode, r.error]).sort()).toEqual([["failed", 500, "HTTP 500"], ["failed", null, "connection refused"]].sort());
  });

  it("refuse operators and viewers every channel verb, auditing the refusal; refuse another type's field", async () => {
    const admin = await actorContext("admin");
    const hook = await createChannel({ ctx: admin, input: { type: "webhook", name: unique("Guarded"), url: `${web.url}/g` } });
    await expect(updateChannel({ ctx: admin, input: { channelId: hook.id, to: ["a@example.test"] } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { to: ["A webhook channel has no to."] } });
    await expect(createChannel({ ctx: admin, input: { type: "pager", name: "x" } })).rejects.toMatchObject({ code: "invalid" });
    for (const role of ["operator", "viewer"] as const) {
      const ctx = await actorContext(role);
      await expect(createChannel({ ctx, input: { type: "slack", name: "x", url: web.url } })).rejects.toMatchObject({ code: "forbidden" });
      await expect(sendTestNotification({ ctx, input: { channelId: hook.id } })).rejects.toMatchObject({ code: "forbidden" });
      await expect(deleteChannel({ ctx, input: { channelId: hook.id } })).rejects.toMatchObject({ code: "forbidden" });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome])).toEqual([["channel.create", "denied"], ["channel.test", "denied"], ["channel.delete", "denied"]]);
    }
    await deleteChannel({ ctx: admin, input: { channelId: hook.id } });
    expect((await listChannels({ ctx: admin })).map((c) => c.id)).not.toContain(hook.id);
  });
});

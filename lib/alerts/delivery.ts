import { and, count, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alertDeliveries, alertRules, alerts, notificationChannels, type AlertDelivery, type NotificationChannel } from "@/db/schema/alerts";
import { sendToChannel, type SendResult } from "./channels/send";
import { alertMessage, groupMessage, type AlertMessage, type NoticeKind } from "./message";

/** Records one attempt in the delivery log, numbered after the attempts of the same notification before it. */
export async function recordDelivery(row: { channelId: string | null; userId?: string; recipient?: string; alertId: string | null; alertIds?: string[]; notificationKey: string; kind: NoticeKind }, result: SendResult): Promise<AlertDelivery> {
  const db = getDb();
  const [prior] = await db.select({ n: count() }).from(alertDeliveries).where(eq(alertDeliveries.notificationKey, row.notificationKey));
  const [written] = await db
    .insert(alertDeliveries)
    .values({ ...row, alertIds: row.alertIds ?? (row.alertId ? [row.alertId] : []), attempt: Number(prior?.n ?? 0) + 1, status: result.ok ? "sent" : "failed", latencyMs: result.latencyMs, responseCode: result.responseCode, error: result.error })
    .returning();
  return written!;
}

/** Sends `message` to `channel` once and logs the attempt. */
export async function deliverOnce(channel: NotificationChannel, message: AlertMessage, row: { alertId: string | null; alertIds?: string[]; notificationKey: string; kind: NoticeKind }) {
  const result = await sendToChannel(channel, message);
  const delivery = await recordDelivery({ ...row, channelId: channel.id }, result);
  return { result, delivery };
}

export type NotifyOutcome = { status: "sent" | "failed" | "skipped"; retryable: boolean; reason?: string; attempt?: number };

/**
 * One attempt at one notification (an alert's firing or resolution, to one channel). Skipped, not
 * failed, when the channel is gone or disabled, the alert is gone, or it has moved on since (a
 * "firing" sent after the alert resolved would be a lie; the resolution follows on its own).
 */
export async function deliverNotification(input: NotifyInput & { channelId: string }): Promise<NotifyOutcome> {
  const [channel] = await getDb().select().from(notificationChannels).where(eq(notificationChannels.id, input.channelId));
  if (!channel || !channel.enabled) return { status: "skipped", retryable: false, reason: "channel gone or disabled" };
  return deliverCurrent(input, { key: channel.id, send: (message) => sendToChannel(channel, message), row: { channelId: channel.id } });
}

export type NotifyInput = { alertId: string; kind: "firing" | "resolved"; fireCount: number; notificationKey: string; group?: { alertId: string; fireCount: number }[] };

/**
 * What every notification shares, to a channel or a user: an attempt already sent is not made again
 * (a step re-run after a crash, its result never checkpointed, finds it logged); the alerts that
 * moved on since are left out; one message (one alert's, or a group's) goes out and is logged.
 */
export async function deliverCurrent(
  input: NotifyInput,
  to: { key: string; send: (message: AlertMessage) => Promise<SendResult>; row: { channelId: string | null; userId?: string; recipient?: string } },
): Promise<NotifyOutcome> {
  const db = getDb();
  const [sent] = await db.select({ attempt: alertDeliveries.attempt }).from(alertDeliveries).where(and(eq(alertDeliveries.notificationKey, input.notificationKey), eq(alertDeliveries.status, "sent")));
  if (sent) return { status: "sent", retryable: false, reason: "already delivered", attempt: sent.attempt };
  const members = input.group && input.group.length > 1 ? input.group : [{ alertId: input.alertId, fireCount: input.fireCount }];
  const wanted = new Map(members.map((m) => [m.alertId, m.fireCount]));
  const found = await db.select({ alert: alerts, rule: alertRules }).from(alerts).innerJoin(alertRules, eq(alertRules.id, alerts.ruleId)).where(inArray(alerts.id, [...wanted.keys()]));
  const current = found.filter((f) => f.alert.fireCount === wanted.get(f.alert.id) && !(input.kind === "firing" && f.alert.status === "resolved")).sort((a, b) => a.alert.id.localeCompare(b.alert.id));
  if (!current.length) return { status: "skipped", retryable: false, reason: "alert gone or moved on" };
  const message = current.length === 1 ? alertMessage(input.kind, current[0]!.alert, current[0]!.rule, to.key) : groupMessage(input.kind, current.map((c) => c.alert), current[0]!.rule, to.key);
  const result = await to.send(message);
  const alertIds = current.map((c) => c.alert.id);
  const delivery = await recordDelivery({ ...to.row, alertId: alertIds[0]!, alertIds, notificationKey: input.notificationKey, kind: input.kind }, result);
  return { status: result.ok ? "sent" : "failed", retryable: result.retryable, reason: result.error ?? undefined, attempt: delivery.attempt };
}

import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alertDeliveries, alertRules, alerts } from "@/db/schema/alerts";
import { users } from "@/db/schema/users";
import { userRecipientKey } from "./ack-link";
import { sendToChannel } from "./channels/send";
import { recordDelivery, type NotifyOutcome } from "./delivery";
import { alertMessage, groupMessage } from "./message";

export type UserNotifyInput = { alertId: string; userId: string; kind: "firing" | "resolved"; fireCount: number; notificationKey: string; group?: { alertId: string; fireCount: number }[] };

/**
 * One attempt at telling a user named by an escalation level, by email at their account address,
 * through the email channels' mailer (STEVEDORE_SMTP_URL). Logged in alert_deliveries with the user
 * and the address. Skipped when the user is gone or disabled, or every alert moved on. Alerts a silence
 * or window holds never get here: notify-channel's `holdSuppressed` records them as held, and the
 * sweep tells the user once when the hold ends.
 */
export async function deliverToUser(input: UserNotifyInput): Promise<NotifyOutcome> {
  const db = getDb();
  const [user] = await db.select({ id: users.id, email: users.email, disabledAt: users.disabledAt }).from(users).where(eq(users.id, input.userId));
  if (!user || user.disabledAt) return { status: "skipped", retryable: false, reason: "user gone or disabled" };
  // A step re-run after a crash (its result never checkpointed) finds its delivery already logged.
  const [sent] = await db.select({ attempt: alertDeliveries.attempt }).from(alertDeliveries).where(and(eq(alertDeliveries.notificationKey, input.notificationKey), eq(alertDeliveries.status, "sent")));
  if (sent) return { status: "sent", retryable: false, reason: "already delivered", attempt: sent.attempt };
  const members = input.group && input.group.length > 1 ? input.group : [{ alertId: input.alertId, fireCount: input.fireCount }];
  const wanted = new Map(members.map((m) => [m.alertId, m.fireCount]));
  const found = await db.select({ alert: alerts, rule: alertRules }).from(alerts).innerJoin(alertRules, eq(alertRules.id, alerts.ruleId)).where(inArray(alerts.id, [...wanted.keys()]));
  const current = found.filter((f) => f.alert.fireCount === wanted.get(f.alert.id) && !(input.kind === "firing" && f.alert.status === "resolved")).sort((a, b) => a.alert.id.localeCompare(b.alert.id));
  if (!current.length) return { status: "skipped", retryable: false, reason: "alert moved on" };
  const key = userRecipientKey(user.id);
  const message = current.length === 1 ? alertMessage(input.kind, current[0]!.alert, current[0]!.rule, key) : groupMessage(input.kind, current.map((c) => c.alert), current[0]!.rule, key);
  const result = await sendToChannel({ type: "email", config: { to: [user.email] } }, message);
  const alertIds = current.map((c) => c.alert.id);
  const delivery = await recordDelivery({ channelId: null, userId: user.id, recipient: user.email, alertId: alertIds[0]!, alertIds, notificationKey: input.notificationKey, kind: input.kind }, result);
  return { status: result.ok ? "sent" : "failed", retryable: result.retryable, reason: result.error ?? undefined, attempt: delivery.attempt };
}

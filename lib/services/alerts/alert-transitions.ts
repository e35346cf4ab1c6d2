import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { alertRules, alerts, alertTransitions, type Alert, type AlertRule, type AlertStatus } from "@/db/schema/alerts";
import { inngest } from "@/inngest/client";
import { alertAcknowledged } from "@/inngest/events";
import { lockAlertEvaluation } from "@/lib/alerts/evaluate";
import { notificationEvents } from "@/lib/alerts/notify";
import { getLogger } from "@/lib/observability/logger";
import type { ServiceContext } from "../context";
import { conflict, notFound } from "../errors";

/** The alert and its rule, under the evaluation lock so a tick cannot overwrite the change (lib/alerts/evaluate.ts). */
export async function lockAlert(tx: Tx, alertId: string): Promise<{ alert: Alert; rule: AlertRule }> {
  await lockAlertEvaluation(tx);
  const [found] = await tx.select({ alert: alerts, rule: alertRules }).from(alerts).innerJoin(alertRules, eq(alertRules.id, alerts.ruleId)).where(eq(alerts.id, alertId));
  if (!found) throw notFound("The alert");
  return found;
}

/** Acknowledges a firing alert in `tx`; refuses one that is not firing, in words. */
export async function markAcknowledged(tx: Tx, alert: Alert, by: string, reason: string): Promise<Alert> {
  if (alert.status === "acknowledged") throw conflict(`Already acknowledged by ${alert.acknowledgedBy}.`);
  if (alert.status !== "firing") throw conflict(alert.status === "resolved" ? "This alert has resolved." : "This alert is pending: it has not fired yet.");
  const now = new Date();
  const [row] = await tx.update(alerts).set({ status: "acknowledged", acknowledgedAt: now, acknowledgedBy: by, ackReason: reason }).where(eq(alerts.id, alert.id)).returning();
  await recordTransition(tx, { alert, to: "acknowledged", at: now, by, reason });
  return row!;
}

/** One row of an alert's history, in the transaction that changed it. */
export async function recordTransition(tx: Tx, t: { alert: Pick<Alert, "id" | "ruleId" | "status">; to: AlertStatus; at: Date; by: string | null; reason: string | null }): Promise<void> {
  await tx.insert(alertTransitions).values({ alertId: t.alert.id, ruleId: t.alert.ruleId, fromStatus: t.alert.status, toStatus: t.to, at: t.at, by: t.by, reason: t.reason });
}

/** After commit: the event that stops this firing's escalation (its id repeats, so a resend is dropped). */
export async function sendAcknowledged(ctx: ServiceContext, alert: Alert, by: string): Promise<void> {
  await inngest
    .send({ id: `alert-ack-${alert.id}-${alert.fireCount}`, name: alertAcknowledged.name, data: { alertId: alert.id, fireCount: alert.fireCount, by } })
    .catch((err) => getLogger().warn({ err, alertId: alert.id, correlationId: ctx.correlationId }, "acknowledgement event not sent; escalation checks the alert's state before each level"));
}

/** After commit: tell the rule's channels of a resolution (the same event ids as an evaluated one, so never twice). */
export async function sendResolved(ctx: ServiceContext, alert: Alert, rule: AlertRule): Promise<void> {
  const events = notificationEvents([{ alertId: alert.id, ruleId: rule.id, kind: "resolved", fireCount: alert.fireCount, channelIds: rule.channelIds }]);
  if (!events.length) return;
  await inngest.send(events).catch((err) => getLogger().warn({ err, alertId: alert.id, correlationId: ctx.correlationId }, "resolution notifications not sent"));
}

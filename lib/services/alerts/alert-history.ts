import { and, asc, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alertDeliveries, alertRules, alerts, alertTransitions, notificationChannels } from "@/db/schema/alerts";
import { users } from "@/db/schema/users";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { parseReadInput } from "../verb";
import { AlertIdInput } from "./alert-schemas";
import { getAlert } from "./list-alerts";

/** Transitions read for the dashboard at most (24 h of a very noisy console). */
const DASHBOARD_TRANSITIONS = 50_000;

/** What the Alerts dashboard draws from: open alerts with their severity, the last 24 h of transitions, rule names. */
export async function getAlertDashboard({ ctx, now = new Date() }: { ctx: ServiceContext; now?: Date }) {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  const db = getDb();
  const since = new Date(now.getTime() - 24 * 3600_000);
  const [open, transitions, rules] = await Promise.all([
    db.select({ status: alerts.status, severity: alertRules.severity }).from(alerts).innerJoin(alertRules, eq(alertRules.id, alerts.ruleId)).where(inArray(alerts.status, ["firing", "acknowledged"])),
    db
      .select({ alertId: alertTransitions.alertId, ruleId: alertTransitions.ruleId, fromStatus: alertTransitions.fromStatus, toStatus: alertTransitions.toStatus, at: alertTransitions.at })
      .from(alertTransitions)
      .where(gte(alertTransitions.at, since))
      .orderBy(desc(alertTransitions.at))
      .limit(DASHBOARD_TRANSITIONS),
    db.select({ id: alertRules.id, name: alertRules.name }).from(alertRules),
  ]);
  return { open, transitions, rules, since, truncated: transitions.length === DASHBOARD_TRANSITIONS };
}

/** An alert's page: the alert and rule, its transitions (oldest first) and its delivery log (newest first). */
export async function getAlertHistory({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  const { alertId } = parseReadInput(AlertIdInput, input);
  const found = await getAlert({ ctx, input: { alertId } });
  const db = getDb();
  const [transitions, deliveries] = await Promise.all([
    db.select().from(alertTransitions).where(eq(alertTransitions.alertId, alertId)).orderBy(asc(alertTransitions.at), asc(alertTransitions.id)).limit(1000),
    db
      .select({ id: alertDeliveries.id, channel: notificationChannels.name, channelType: notificationChannels.type, userId: alertDeliveries.userId, userName: users.name, recipient: alertDeliveries.recipient, kind: alertDeliveries.kind, attempt: alertDeliveries.attempt, status: alertDeliveries.status, latencyMs: alertDeliveries.latencyMs, responseCode: alertDeliveries.responseCode, error: alertDeliveries.error, createdAt: alertDeliveries.createdAt, grouped: sql<number>`jsonb_array_length(${alertDeliveries.alertIds})` })
      .from(alertDeliveries)
      // A user named by an escalation level is told without a channel (the delivery names the user and address).
      .leftJoin(notificationChannels, eq(notificationChannels.id, alertDeliveries.channelId))
      .leftJoin(users, eq(users.id, alertDeliveries.userId))
      .where(and(sql`(${alertDeliveries.alertId} = ${alertId} or ${alertDeliveries.alertIds} @> ${JSON.stringify([alertId])}::jsonb)`))
      .orderBy(desc(alertDeliveries.createdAt))
      .limit(500),
  ]);
  return { ...found, transitions, deliveries };
}

import { asc, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alertRules, alerts } from "@/db/schema/alerts";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden, notFound } from "../errors";
import { parseReadInput } from "../verb";
import { AlertIdInput, ListAlertsInput } from "./alert-schemas";

const columns = { alert: alerts, rule: { id: alertRules.id, name: alertRules.name, severity: alertRules.severity, source: alertRules.source } };

/** Alerts, the most recently changed first, of one status or all (everyone who can read operations). */
export async function listAlerts({ ctx, input }: { ctx: ServiceContext; input?: unknown }) {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  const { status, limit } = parseReadInput(ListAlertsInput, input ?? {});
  return getDb()
    .select(columns)
    .from(alerts)
    .innerJoin(alertRules, eq(alertRules.id, alerts.ruleId))
    .where(status ? eq(alerts.status, status) : undefined)
    .orderBy(desc(alerts.updatedAt), asc(alerts.id))
    .limit(limit);
}

export async function getAlert({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  const { alertId } = parseReadInput(AlertIdInput, input);
  const [found] = await getDb().select(columns).from(alerts).innerJoin(alertRules, eq(alertRules.id, alerts.ruleId)).where(eq(alerts.id, alertId));
  if (!found) throw notFound("The alert");
  return found;
}

import { and, count, desc, eq, gt, inArray, isNull, lte, ne } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alertRules, alerts } from "@/db/schema/alerts";
import { heldNotifications, silences } from "@/db/schema/silences";
import { can } from "@/lib/auth/rbac";
import { compileMatchers } from "@/lib/silences/matchers";
import { activeSuppressions, silenceLabels, suppressorOf } from "@/lib/silences/suppression";
import type { ServiceContext } from "../context";
import { forbidden, notFound } from "../errors";
import { parseReadInput } from "../verb";
import { silenceView } from "./silence-helpers";
import { ListSilencesInput, PreviewSilenceInput, SilenceIdInput } from "./schemas";

const OPEN_ALERT_LIMIT = 2000;

const readable = (ctx: ServiceContext) => {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
};

/** Silences, latest ending first: active and pending ones, or the expired of the last 30 days (everyone who reads alerts). */
export async function listSilences({ ctx, input }: { ctx: ServiceContext; input?: unknown }) {
  readable(ctx);
  const { state, limit } = parseReadInput(ListSilencesInput, input ?? {});
  const now = new Date();
  const since = new Date(now.getTime() - 30 * 24 * 3600_000);
  const rows = await getDb()
    .select()
    .from(silences)
    .where(state === "expired" ? and(lte(silences.endsAt, now), gt(silences.endsAt, since)) : state ? gt(silences.endsAt, now) : gt(silences.endsAt, since))
    .orderBy(desc(silences.endsAt))
    .limit(limit);
  const held = rows.length ? await getDb().select({ id: heldNotifications.silenceId, n: count() }).from(heldNotifications).where(and(inArray(heldNotifications.silenceId, rows.map((r) => r.id)), isNull(heldNotifications.releasedAt))).groupBy(heldNotifications.silenceId) : [];
  const heldBy = new Map(held.map((h) => [h.id, Number(h.n)]));
  return rows.map((r) => ({ ...silenceView(r, now), held: heldBy.get(r.id) ?? 0 })).filter((s) => !state || s.state === state);
}

export async function getSilence({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  readable(ctx);
  const { silenceId } = parseReadInput(SilenceIdInput, input);
  const [s] = await getDb().select().from(silences).where(eq(silences.id, silenceId));
  if (!s) throw notFound("Silence");
  const held = await getDb().select().from(heldNotifications).where(eq(heldNotifications.silenceId, silenceId)).orderBy(desc(heldNotifications.heldAt)).limit(200);
  return { ...silenceView(s), heldNotifications: held };
}

const openAlerts = () =>
  getDb()
    .select({ alert: alerts, rule: { id: alertRules.id, name: alertRules.name, severity: alertRules.severity, source: alertRules.source } })
    .from(alerts)
    .innerJoin(alertRules, eq(alertRules.id, alerts.ruleId))
    .where(ne(alerts.status, "resolved"))
    .orderBy(desc(alerts.updatedAt))
    .limit(OPEN_ALERT_LIMIT);

/** Which open alerts (pending, firing, acknowledged) these matchers would silence now, before creating the silence. */
export async function previewSilence({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  readable(ctx);
  const { matchers } = parseReadInput(PreviewSilenceInput, input);
  const test = compileMatchers(matchers);
  const rows = await openAlerts();
  const matched = rows.filter((r) => test(silenceLabels(r.alert, r.rule)));
  return { matched: matched.length, examined: rows.length, alerts: matched.slice(0, 200).map((r) => ({ id: r.alert.id, status: r.alert.status, labels: r.alert.labels, summary: r.alert.summary, rule: r.rule })) };
}

/** The currently suppressed view: each open alert a silence or window holds now, by what, until when, with its held notifications. */
export async function listSuppressedAlerts({ ctx }: { ctx: ServiceContext }) {
  readable(ctx);
  const db = getDb();
  const [rows, active] = await Promise.all([openAlerts(), activeSuppressions(db)]);
  const held = rows.length
    ? await db
        .select({ alertId: heldNotifications.alertId, n: count() })
        .from(heldNotifications)
        .where(and(isNull(heldNotifications.releasedAt), inArray(heldNotifications.alertId, rows.map((r) => r.alert.id))))
        .groupBy(heldNotifications.alertId)
    : [];
  const heldBy = new Map(held.map((h) => [h.alertId, Number(h.n)]));
  return rows.flatMap((r) => {
    const by = suppressorOf(r.alert, r.rule, active);
    return by ? [{ alert: { id: r.alert.id, status: r.alert.status, labels: r.alert.labels, summary: r.alert.summary, firedAt: r.alert.firedAt }, rule: r.rule, by, heldNotifications: heldBy.get(r.alert.id) ?? 0 }] : [];
  });
}

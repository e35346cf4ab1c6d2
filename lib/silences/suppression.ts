import { and, asc, eq, gt, gte, inArray, isNull, lte, min, notInArray, or, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { alertDeliveries, alertRules, alerts, type Alert, type AlertRule } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { heldNotifications, maintenanceWindows, silences, type HeldNotification } from "@/db/schema/silences";
import { alertNotifyRequested } from "@/inngest/events";
import { ACTIVE_OPERATION_STATUSES } from "@/lib/operation-status";
import { compileMatchers } from "./matchers";
import { currentEnd, isActiveAt } from "./recurrence";
import { closeOrphanedWindows } from "./windows";

/** What holds an alert's notifications now: a silence or a maintenance window, with when it lets go (null: when its operation ends). */
export type Suppressor = { kind: "silence" | "window"; id: string; name: string; until: Date | null };

export type ActiveSuppressions = {
  silences: { id: string; name: string; until: Date | null; test: (labels: Record<string, string>) => boolean }[];
  windows: { id: string; name: string; until: Date | null; collection: string | null; all: boolean }[];
};

/** The rule of an alert that asks an operator for something the operation itself waits on: no window holds it back. */
const ASKS_FOR_ACTION = new Set(["reindex_awaiting_approval"]);

/** Every silence and window holding at `now`: a window opened by an operation only while the operation is under way. */
export async function activeSuppressions(db: Executor = getDb(), now: Date = new Date()): Promise<ActiveSuppressions> {
  const silenceRows = await db.select().from(silences).where(and(lte(silences.startsAt, now), gt(silences.endsAt, now)));
  const windowRows = await db
    .select({ w: maintenanceWindows, collection: collections.name })
    .from(maintenanceWindows)
    .leftJoin(collections, eq(collections.id, maintenanceWindows.collectionId))
    .leftJoin(operations, eq(operations.id, maintenanceWindows.operationId))
    .where(
      or(
        and(isNull(maintenanceWindows.operationId), isNull(maintenanceWindows.closedAt), lte(maintenanceWindows.startsAt, now), or(isNull(maintenanceWindows.endsAt), gt(maintenanceWindows.endsAt, now))),
        and(isNull(maintenanceWindows.closedAt), inArray(operations.status, [...ACTIVE_OPERATION_STATUSES])),
      ),
    );
  return {
    silences: silenceRows
      .filter((s) => isActiveAt(s, now))
      .map((s) => ({ id: s.id, name: s.comment, until: currentEnd(s, now), test: compileMatchers(s.matchers) })),
    windows: windowRows
      .filter(({ w }) => w.operationId || isActiveAt(w, now))
      .map(({ w, collection }) => ({ id: w.id, name: w.name, until: w.operationId ? null : currentEnd(w, now), collection, all: !w.collectionId })),
  };
}

/** An alert's labels as silences see them: its own, plus its rule's name (`alertname`) and `severity`. */
export const silenceLabels = (alert: Pick<Alert, "labels">, rule: Pick<AlertRule, "name" | "severity">) => ({ ...alert.labels, alertname: rule.name, severity: rule.severity });

/** The first silence, then window, that holds this alert now, or null. */
export function suppressorOf(alert: Pick<Alert, "labels">, rule: Pick<AlertRule, "name" | "severity" | "source">, active: ActiveSuppressions): Suppressor | null {
  const labels = silenceLabels(alert, rule);
  const silence = active.silences.find((s) => s.test(labels));
  if (silence) return { kind: "silence", id: silence.id, name: silence.name, until: silence.until };
  if (ASKS_FOR_ACTION.has(rule.source)) return null;
  const window = active.windows.find((w) => w.all || (w.collection !== null && alert.labels.collection === w.collection));
  return window ? { kind: "window", id: window.id, name: window.name, until: window.until } : null;
}

export type HeldOutcome = { status: "held"; retryable: false; reason: string };

/** Whom a notification is for: a channel, or a user an escalation level names. */
export type NotifyTarget = { channelId: string; userId?: undefined } | { userId: string; channelId?: undefined };

type NotifyInput = { alertId: string; kind: "firing" | "resolved"; fireCount: number; notificationKey: string; group?: { alertId: string; fireCount: number }[] } & NotifyTarget;

/**
 * The hook in notify-channel: while a silence or window holds an alert, its notification (a rule's
 * channel, an escalation level's channel or user) is recorded as held instead of sent. A grouped notification is
 * split: each held member is recorded on its own, the rest still go out as one message. `rest`
 * null: nothing is left to send, and `held` says why.
 */
export async function holdSuppressed<T extends NotifyInput>(input: T): Promise<{ held: HeldOutcome | null; rest: T | null }> {
  const db = getDb();
  const members = input.group && input.group.length > 1 ? input.group : [{ alertId: input.alertId, fireCount: input.fireCount }];
  const found = await db.select({ alert: alerts, rule: alertRules }).from(alerts).innerJoin(alertRules, eq(alertRules.id, alerts.ruleId)).where(inArray(alerts.id, members.map((m) => m.alertId)));
  if (!found.length) return { held: null, rest: input };
  const active = await activeSuppressions(db);
  const holders = new Map(found.map((f) => [f.alert.id, suppressorOf(f.alert, f.rule, active)]));
  const held = members.filter((m) => holders.get(m.alertId));
  if (!held.length) return { held: null, rest: input };
  await db
    .insert(heldNotifications)
    .values(
      held.map((m) => {
        const by = holders.get(m.alertId)!;
        // A group's members each get a key of their own: each is released (told once) on its own.
        const notificationKey = members.length > 1 ? `${input.notificationKey}:${m.alertId}` : input.notificationKey;
        return { alertId: m.alertId, channelId: input.channelId ?? null, userId: input.userId ?? null, kind: input.kind, fireCount: m.fireCount, notificationKey, silenceId: by.kind === "silence" ? by.id : null, windowId: by.kind === "window" ? by.id : null };
      }),
    )
    .onConflictDoNothing({ target: heldNotifications.notificationKey });
  const by = holders.get(held[0]!.alertId)!;
  const outcome: HeldOutcome = { status: "held", retryable: false, reason: `held by ${by.kind} ${by.name}${held.length > 1 ? ` (${held.length} alerts)` : ""}` };
  const free = members.filter((m) => !holders.get(m.alertId));
  if (!free.length) return { held: outcome, rest: null };
  return { held: outcome, rest: { ...input, alertId: free[0]!.alertId, fireCount: free[0]!.fireCount, group: free.length > 1 ? free : undefined } };
}

/** (alert, channel or user) pairs looked at per sweep (each tick takes the next ones). */
const SWEEP_BATCH = 2000;

/** The row is not held by any of these (a row whose holder was deleted has none). */
const notHeldBy = (column: typeof heldNotifications.silenceId | typeof heldNotifications.windowId, ids: string[]) => (ids.length ? or(isNull(column), notInArray(column, ids)) : undefined);

type ReleaseEvent = { id: string; name: typeof alertNotifyRequested.name; data: { alertId: string; kind: "firing" | "resolved"; fireCount: number } & NotifyTarget };

/** A held row's target as an event's: its channel or its user. */
const targetOf = (h: Pick<HeldNotification, "channelId" | "userId">): NotifyTarget => (h.channelId ? { channelId: h.channelId } : { userId: h.userId! });

/** The rows of one target: `channel_id = …`, or `user_id = …` (the other is null, by the table's check). */
const ofTarget = (target: NotifyTarget) => (target.channelId ? eq(heldNotifications.channelId, target.channelId) : eq(heldNotifications.userId, target.userId!));

/** What to do with one (alert, channel or user)'s held notifications once nothing holds the alert: tell its state once, or drop them. */
async function decide(alert: Alert, held: HeldNotification[]): Promise<{ kind: "firing" | "resolved" } | { dropped: string }> {
  const current = held.filter((h) => h.fireCount === alert.fireCount);
  if (alert.status === "firing" && current.some((h) => h.kind === "firing")) return { kind: "firing" };
  if (alert.status === "resolved" && current.some((h) => h.kind === "resolved")) {
    // A resolution is news only to a channel (or user) that heard of this firing: alone, or in a
    // message grouping it with the rule's other alerts (alert_ids), sent since it fired.
    const target = targetOf(held[0]!);
    const [told] = await getDb()
      .select({ id: alertDeliveries.id })
      .from(alertDeliveries)
      .where(
        and(
          target.channelId ? eq(alertDeliveries.channelId, target.channelId) : eq(alertDeliveries.userId, target.userId!),
          eq(alertDeliveries.kind, "firing"),
          eq(alertDeliveries.status, "sent"),
          sql`${alertDeliveries.alertIds} @> ${JSON.stringify([alert.id])}::jsonb`,
          alert.firedAt ? gte(alertDeliveries.createdAt, alert.firedAt) : undefined,
        ),
      )
      .limit(1);
    return told ? { kind: "resolved" } : { dropped: "resolved while held; its firing was never told" };
  }
  if (alert.status === "acknowledged") return { dropped: "acknowledged while held" };
  if (alert.status === "resolved") return { dropped: "resolved while held" };
  return { dropped: "the alert moved on" };
}

/**
 * The sweeper, run by every evaluation tick: closes automatic windows whose operation is over,
 * then, for each alert nothing holds any more, tells each channel (or user) once what is still true (it
 * fires) or drops what no longer is. Each held row is released once (its update wins once), so
 * overlapping ticks cannot both tell; the event id repeats for a repeated step.
 */
export async function sweepSuppressions(now: Date = new Date()): Promise<{ closedWindows: number; released: number; dropped: number; events: ReleaseEvent[] }> {
  const db = getDb();
  const closedWindows = await closeOrphanedWindows(now);
  const active = await activeSuppressions(db, now);
  // Only rows whose own silence or window has let go: a long silence holding thousands must not starve the rest.
  const releasable = and(isNull(heldNotifications.releasedAt), notHeldBy(heldNotifications.silenceId, active.silences.map((s) => s.id)), notHeldBy(heldNotifications.windowId, active.windows.map((w) => w.id)));
  // Whole (alert, channel or user) pairs, oldest first: a pair split across ticks would be told twice.
  const pairs = await db
    .select({ alertId: heldNotifications.alertId, channelId: heldNotifications.channelId, userId: heldNotifications.userId })
    .from(heldNotifications)
    .where(releasable)
    .groupBy(heldNotifications.alertId, heldNotifications.channelId, heldNotifications.userId)
    .orderBy(asc(min(heldNotifications.heldAt)))
    .limit(SWEEP_BATCH);
  const events: ReleaseEvent[] = [];
  let dropped = 0;
  if (!pairs.length) return { closedWindows, released: 0, dropped, events };
  const alertIds = [...new Set(pairs.map((p) => p.alertId))];
  const pairKey = (p: Pick<HeldNotification, "alertId" | "channelId" | "userId">) => (p.channelId ? `${p.alertId} channel ${p.channelId}` : `${p.alertId} user ${p.userId}`);
  const wanted = new Set(pairs.map(pairKey));
  const open = await db.select().from(heldNotifications).where(and(releasable, inArray(heldNotifications.alertId, alertIds))).orderBy(asc(heldNotifications.heldAt));
  const found = await db.select({ alert: alerts, rule: alertRules }).from(alerts).innerJoin(alertRules, eq(alertRules.id, alerts.ruleId)).where(inArray(alerts.id, alertIds));
  const byAlert = new Map(found.map((f) => [f.alert.id, f]));
  const groups = new Map<string, HeldNotification[]>();
  for (const h of open) {
    const key = pairKey(h);
    if (wanted.has(key)) groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  for (const held of groups.values()) {
    const { alertId } = held[0]!;
    const target = targetOf(held[0]!);
    const f = byAlert.get(alertId);
    if (!f) continue;
    const ofPair = and(releasable, eq(heldNotifications.alertId, alertId), ofTarget(target));
    const holder = suppressorOf(f.alert, f.rule, active);
    if (holder) {
      // Another silence or window holds it now: it is that one's to release, and leaves the sweep's selection.
      await db
        .update(heldNotifications)
        .set({ silenceId: holder.kind === "silence" ? holder.id : null, windowId: holder.kind === "window" ? holder.id : null })
        .where(ofPair);
      continue;
    }
    const verdict = await decide(f.alert, held);
    const outcome = "kind" in verdict ? "told" : `dropped: ${verdict.dropped}`;
    const won = await db.update(heldNotifications).set({ releasedAt: now, outcome }).where(ofPair).returning({ id: heldNotifications.id });
    if (!won.length) continue;
    if (!("kind" in verdict)) {
      dropped++;
      continue;
    }
    const to = target.channelId ?? `user-${target.userId}`;
    events.push({ id: `alert-${alertId}-${f.alert.fireCount}-${verdict.kind}-${to}-released-${held[0]!.id}`, name: alertNotifyRequested.name, data: { alertId, ...target, kind: verdict.kind, fireCount: f.alert.fireCount } });
  }
  return { closedWindows, released: events.length, dropped, events };
}


import { createHash } from "node:crypto";
import { alertEscalationRequested, alertNotifyRequested } from "@/inngest/events";
import type { EscalationLevel } from "@/db/schema/alerts";
import type { Notification } from "./evaluate";

/** Alerts told in one grouped message at most; a larger group is split (an email of 500 alerts is already a wall). */
export const GROUP_LIMIT = 500;

/**
 * One event per channel of each notification, with an id that a resent tick repeats (so Inngest
 * drops the copy). Several alerts of one rule changing the same way in one evaluation are grouped:
 * each channel gets one event (one message) listing them, its id made of the alerts and firings.
 */
export type NotifyEvent = { id: string; name: typeof alertNotifyRequested.name; data: { alertId: string; channelId: string; kind: "firing" | "resolved"; fireCount: number; group?: { alertId: string; fireCount: number }[] } };

export function notificationEvents(notifications: Notification[]): NotifyEvent[] {
  const groups = new Map<string, Notification[]>();
  for (const n of notifications) {
    const key = `${n.ruleId}\u0000${n.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  return [...groups.values()].flatMap((all) => {
    const chunks: Notification[][] = [];
    for (let i = 0; i < all.length; i += GROUP_LIMIT) chunks.push(all.slice(i, i + GROUP_LIMIT));
    return chunks.flatMap((members) => {
      const [first] = members as [Notification, ...Notification[]];
      if (members.length === 1)
        return first.channelIds.map((channelId) => ({ id: `alert-${first.alertId}-${first.fireCount}-${first.kind}-${channelId}`, name: alertNotifyRequested.name, data: { alertId: first.alertId, channelId, kind: first.kind, fireCount: first.fireCount } }));
      const group = members.map((m) => ({ alertId: m.alertId, fireCount: m.fireCount })).sort((a, b) => a.alertId.localeCompare(b.alertId));
      const digest = createHash("sha256").update(group.map((g) => `${g.alertId}:${g.fireCount}`).join(",")).digest("hex").slice(0, 24);
      return first.channelIds.map((channelId) => ({
        id: `alert-group-${first.ruleId}-${first.kind}-${digest}-${channelId}`,
        name: alertNotifyRequested.name,
        data: { alertId: group[0]!.alertId, channelId, kind: first.kind, fireCount: group[0]!.fireCount, group },
      }));
    });
  });
}

/** Alerts escalated together by one run at most (a larger group is split); each level tells them in one message. */
export const ESCALATION_GROUP_LIMIT = 100;

const digestOf = (members: { alertId: string; fireCount: number }[]) =>
  createHash("sha256").update(members.map((g) => `${g.alertId}:${g.fireCount}`).join(",")).digest("hex").slice(0, 24);

/**
 * One escalation per firing of an alert whose rule has a policy, or, for alerts of one rule firing in
 * the same evaluation, one escalation of them all (so each level is one message, not one per alert).
 * The id (the alert and firing, or the group's digest) makes a repeated tick start it once.
 */
export type EscalationEvent = { id: string; name: typeof alertEscalationRequested.name; data: { alertId: string; fireCount: number; policyId: string; group?: { alertId: string; fireCount: number }[] } };

export function escalationEvents(notifications: Notification[]): EscalationEvent[] {
  const groups = new Map<string, Notification[]>();
  for (const n of notifications) if (n.kind === "firing" && n.escalationPolicyId) groups.set(n.ruleId, [...(groups.get(n.ruleId) ?? []), n]);
  return [...groups.values()].flatMap((all) => {
    const events: EscalationEvent[] = [];
    for (let i = 0; i < all.length; i += ESCALATION_GROUP_LIMIT) {
      const members = all.slice(i, i + ESCALATION_GROUP_LIMIT).sort((a, b) => a.alertId.localeCompare(b.alertId));
      const [first] = members as [Notification, ...Notification[]];
      const data = { alertId: first.alertId, fireCount: first.fireCount, policyId: first.escalationPolicyId! };
      if (members.length === 1) events.push({ id: `escalate-${first.alertId}-${first.fireCount}`, name: alertEscalationRequested.name, data });
      else {
        const group = members.map((m) => ({ alertId: m.alertId, fireCount: m.fireCount }));
        events.push({ id: `escalate-group-${digestOf(group)}`, name: alertEscalationRequested.name, data: { ...data, group } });
      }
    }
    return events;
  });
}

/** The id of a chained escalation run, from its repeat on (a group's by its digest). */
export function chainedEscalationId(members: { alertId: string; fireCount: number }[], repeatFrom: number) {
  return members.length === 1 ? `escalate-${members[0]!.alertId}-${members[0]!.fireCount}-repeat-${repeatFrom}` : `escalate-group-${digestOf(members)}-repeat-${repeatFrom}`;
}

/**
 * The channels and users of one escalation level, told of the members still firing: one event each,
 * with an id of its own (a level's channel may also be the rule's). Several members go as one grouped message.
 */
export function levelEvents(members: { alertId: string; fireCount: number }[], level: number, targets: Pick<EscalationLevel, "channelIds" | "userIds">, repeat = 0) {
  const suffix = `level-${level}${repeat ? `-repeat-${repeat}` : ""}`;
  const [first] = members as [{ alertId: string; fireCount: number }, ...{ alertId: string; fireCount: number }[]];
  const grouped = members.length > 1;
  const prefix = grouped ? `alert-group-${digestOf(members)}` : `alert-${first.alertId}-${first.fireCount}`;
  const data = { alertId: first.alertId, kind: "firing" as const, fireCount: first.fireCount, ...(grouped ? { group: members } : {}) };
  return [
    ...targets.channelIds.map((channelId) => ({ id: `${prefix}-firing-${channelId}-${suffix}`, name: alertNotifyRequested.name, data: { ...data, channelId } })),
    ...(targets.userIds ?? []).map((userId) => ({ id: `${prefix}-firing-user-${userId}-${suffix}`, name: alertNotifyRequested.name, data: { ...data, userId } })),
  ];
}

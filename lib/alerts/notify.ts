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

/** One escalation per firing of an alert whose rule has a policy; the id makes a repeated tick start it once. */
export function escalationEvents(notifications: Notification[]) {
  return notifications
    .filter((n) => n.kind === "firing" && n.escalationPolicyId)
    .map((n) => ({ id: `escalate-${n.alertId}-${n.fireCount}`, name: alertEscalationRequested.name, data: { alertId: n.alertId, fireCount: n.fireCount, policyId: n.escalationPolicyId! } }));
}

/** The channels and users of one escalation level, with ids of their own (a level's channel may also be the rule's). */
export function levelEvents(alertId: string, fireCount: number, level: number, targets: Pick<EscalationLevel, "channelIds" | "userIds">, repeat = 0) {
  const suffix = `level-${level}${repeat ? `-repeat-${repeat}` : ""}`;
  const data = { alertId, kind: "firing" as const, fireCount };
  return [
    ...targets.channelIds.map((channelId) => ({ id: `alert-${alertId}-${fireCount}-firing-${channelId}-${suffix}`, name: alertNotifyRequested.name, data: { ...data, channelId } })),
    ...(targets.userIds ?? []).map((userId) => ({ id: `alert-${alertId}-${fireCount}-firing-user-${userId}-${suffix}`, name: alertNotifyRequested.name, data: { ...data, userId } })),
  ];
}

import { alertEscalationRequested, alertNotifyRequested } from "@/inngest/events";
import type { Notification } from "./evaluate";

/** One event per channel of each notification, with an id that a resent tick repeats (so Inngest drops the copy). */
export function notificationEvents(notifications: Notification[]) {
  return notifications.flatMap((n) =>
    n.channelIds.map((channelId) => ({
      id: `alert-${n.alertId}-${n.fireCount}-${n.kind}-${channelId}`,
      name: alertNotifyRequested.name,
      data: { alertId: n.alertId, channelId, kind: n.kind, fireCount: n.fireCount },
    })),
  );
}

/** One escalation per firing of an alert whose rule has a policy; the id makes a repeated tick start it once. */
export function escalationEvents(notifications: Notification[]) {
  return notifications
    .filter((n) => n.kind === "firing" && n.escalationPolicyId)
    .map((n) => ({ id: `escalate-${n.alertId}-${n.fireCount}`, name: alertEscalationRequested.name, data: { alertId: n.alertId, fireCount: n.fireCount, policyId: n.escalationPolicyId! } }));
}

/** The channels of one escalation level, with ids of their own (a level's channel may also be the rule's). */
export function levelEvents(alertId: string, fireCount: number, level: number, channelIds: string[], repeat = 0) {
  return channelIds.map((channelId) => ({
    id: `alert-${alertId}-${fireCount}-firing-${channelId}-level-${level}${repeat ? `-repeat-${repeat}` : ""}`,
    name: alertNotifyRequested.name,
    data: { alertId, channelId, kind: "firing" as const, fireCount },
  }));
}

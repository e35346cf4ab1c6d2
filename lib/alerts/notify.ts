import { alertNotifyRequested } from "@/inngest/events";
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

import { NonRetriableError } from "inngest";
import { deliverNotification } from "@/lib/alerts/delivery";
import { deliverToUser } from "@/lib/alerts/user-delivery";
import { holdSuppressed } from "@/lib/silences/suppression";
import { inngest } from "../client";
import { alertNotifyRequested } from "../events";

/**
 * One notification to one channel, or to one user an escalation level names (by email). A failed
 * attempt is logged in alert_deliveries and thrown, so the step retries with the executor's backoff
 * (each retry another logged attempt); a failure no retry can mend (a refused recipient, a 404 hook) stops at once.
 */
export const notifyChannel = inngest.createFunction(
  { id: "notify-channel", retries: 4, triggers: [alertNotifyRequested] },
  async ({ event, step }) => {
    return step.run("deliver", async () => {
      const { channelId, userId, ...data } = event.data;
      const notificationKey = event.id ?? `alert-${data.alertId}-${data.fireCount}-${data.kind}-${channelId ?? `user-${userId}`}`;
      // While a silence or maintenance window holds an alert, its notification (to a channel or a user) is held (recorded), not sent.
      let outcome;
      if (userId) {
        const { held, rest } = await holdSuppressed({ ...data, userId, notificationKey });
        outcome = rest ? await deliverToUser(rest) : held!;
      } else {
        const { held, rest } = await holdSuppressed({ ...data, channelId: channelId!, notificationKey });
        outcome = rest ? await deliverNotification(rest) : held!;
      }
      if (outcome.status !== "failed") return outcome;
      const message = `delivery attempt ${outcome.attempt} failed: ${outcome.reason}`;
      throw outcome.retryable ? new Error(message) : new NonRetriableError(message);
    });
  },
);

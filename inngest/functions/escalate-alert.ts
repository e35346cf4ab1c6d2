import { escalationLevels, escalationState } from "@/lib/alerts/escalation";
import { levelEvents } from "@/lib/alerts/notify";
import { inngest } from "../client";
import { alertAcknowledged, alertEscalationRequested } from "../events";

/**
 * One firing of an alert through its rule's escalation policy: each level waits its delay for an
 * acknowledgement of this firing, then, if the alert still fires unacknowledged, tells its channels.
 * Step ids name the level and the notifications' ids are deterministic, so a run resumed after a
 * crash (its memoized steps replayed) never tells a level twice.
 */
export const escalateAlert = inngest.createFunction(
  { id: "escalate-alert", retries: 3, triggers: [alertEscalationRequested] },
  async ({ event, step }) => {
    const { alertId, fireCount, policyId } = event.data;
    const levels = await step.run("load-policy", () => escalationLevels(policyId));
    for (const [i, level] of levels.entries()) {
      if (level.delaySeconds > 0) {
        const ack = await step.waitForEvent(`wait-level-${i}`, {
          event: alertAcknowledged,
          if: `async.data.alertId == ${JSON.stringify(alertId)} && async.data.fireCount == ${fireCount}`,
          timeout: `${level.delaySeconds}s`,
        });
        if (ack) return { stoppedBefore: i, because: "acknowledged" };
      }
      const state = await step.run(`check-level-${i}`, () => escalationState(alertId, fireCount));
      if (state !== "firing") return { stoppedBefore: i, because: state };
      await step.sendEvent(`notify-level-${i}`, levelEvents(alertId, fireCount, i, level.channelIds));
    }
    return { levelsNotified: levels.length };
  },
);

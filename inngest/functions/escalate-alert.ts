import { escalationLevels, escalationState, repeatWindow } from "@/lib/alerts/escalation";
import { levelEvents } from "@/lib/alerts/notify";
import { inngest } from "../client";
import { alertAcknowledged, alertEscalationRequested } from "../events";

/**
 * One firing of an alert through its rule's escalation policy: each level waits its delay for an
 * acknowledgement of this firing, then, if the alert still fires unacknowledged, tells its channels and users.
 * A policy that repeats its last level tells it again every last-level delay, up to REPEATS_PER_RUN
 * repeats per run; more go on in a run chained by an event carrying the next repeat (`repeatFrom`).
 * Step ids name the level (and repeat) and the notifications' ids are deterministic, so a run resumed
 * after a crash (its memoized steps replayed) never tells a level twice.
 */
export const escalateAlert = inngest.createFunction(
  { id: "escalate-alert", retries: 3, triggers: [alertEscalationRequested] },
  async ({ event, step }) => {
    const { alertId, fireCount, policyId, repeatFrom } = event.data;
    const { levels, repeatLastLevel } = await step.run("load-policy", () => escalationLevels(policyId));
    const waitAck = (id: string, delaySeconds: number) =>
      step.waitForEvent(id, { event: alertAcknowledged, if: `async.data.alertId == ${JSON.stringify(alertId)} && async.data.fireCount == ${fireCount}`, timeout: `${delaySeconds}s` });
    if (repeatFrom === undefined) {
      for (const [i, level] of levels.entries()) {
        if (level.delaySeconds > 0 && (await waitAck(`wait-level-${i}`, level.delaySeconds))) return { stoppedBefore: i, because: "acknowledged" };
        const state = await step.run(`check-level-${i}`, () => escalationState(alertId, fireCount));
        if (state !== "firing") return { stoppedBefore: i, because: state };
        await step.sendEvent(`notify-level-${i}`, levelEvents(alertId, fireCount, i, level));
      }
    }
    const last = levels.length - 1;
    const lastLevel = levels[last];
    const window = repeatWindow(repeatLastLevel, repeatFrom);
    if (!lastLevel || repeatLastLevel === 0 || lastLevel.delaySeconds <= 0) return { levelsNotified: levels.length };
    for (let r = window.from; r < window.to; r++) {
      if (await waitAck(`wait-repeat-${r}`, lastLevel.delaySeconds)) return { stoppedBeforeRepeat: r, because: "acknowledged" };
      const state = await step.run(`check-repeat-${r}`, () => escalationState(alertId, fireCount));
      if (state !== "firing") return { stoppedBeforeRepeat: r, because: state };
      await step.sendEvent(`notify-repeat-${r}`, levelEvents(alertId, fireCount, last, lastLevel, r));
    }
    if (window.next !== null) {
      await step.sendEvent("chain-repeats", { id: `escalate-${alertId}-${fireCount}-repeat-${window.next}`, name: alertEscalationRequested.name, data: { alertId, fireCount, policyId, repeatFrom: window.next } });
      return { repeatsNotified: window.to - window.from, chainedFrom: window.next };
    }
    return { levelsNotified: repeatFrom === undefined ? levels.length : 0, repeatsNotified: window.to - window.from };
  },
);

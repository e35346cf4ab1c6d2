import { escalationLevels, escalationState, firingMembers, repeatWindow, type EscalationMember } from "@/lib/alerts/escalation";
import { chainedEscalationId, levelEvents } from "@/lib/alerts/notify";
import { inngest } from "../client";

/** Early wakes of a group's waits per run (each 2 steps); past them a wait sleeps its delay out. */
const WAKES_PER_RUN = 50;
import { alertAcknowledged, alertEscalationRequested } from "../events";

/**
 * One firing of an alert (or of a group of one rule's alerts that fired together) through its rule's
 * escalation policy: each level waits its delay, then, if the alert still fires unacknowledged, tells
 * its channels and users. A wait ends early once every alert it waits for is acknowledged; a group's
 * level tells, in one message, the members that still fire unacknowledged.
 * A policy that repeats its last level tells it again every last-level delay, up to REPEATS_PER_RUN
 * repeats per run; more go on in a run chained by an event carrying the next repeat (`repeatFrom`).
 * Step ids name the level (and repeat) and the notifications' ids are deterministic, so a run resumed
 * after a crash (its memoized steps replayed) never tells a level twice.
 */
export const escalateAlert = inngest.createFunction(
  { id: "escalate-alert", retries: 3, triggers: [alertEscalationRequested] },
  async ({ event, step }) => {
    const { alertId, fireCount, policyId, repeatFrom } = event.data;
    const group = event.data.group && event.data.group.length > 1 ? event.data.group : null;
    const { levels, repeatLastLevel } = await step.run("load-policy", () => escalationLevels(policyId));
    /**
     * Waits a level's delay; true when this firing was acknowledged meanwhile. A group's wait wakes on
     * each acknowledgement of a member and ends when none is left firing; else it waits again, until
     * the same deadline. Past WAKES_PER_RUN wakes in a run it sleeps the rest of each delay (the
     * level's check still leaves out those acknowledged), so a run stays under Inngest's 1,000 steps
     * (10 levels and 100 repeats at 4 steps each, plus 2 a wake).
     */
    let wakes = 0;
    const wait = async (id: string, delaySeconds: number) => {
      if (group) {
        const until = new Date(await step.run(`${id}-until`, () => new Date(Date.now() + delaySeconds * 1000).toISOString()));
        const ids = JSON.stringify(group.map((m) => m.alertId));
        for (let k = 0; wakes < WAKES_PER_RUN; k++) {
          if (!(await step.waitForEvent(k ? `${id}-${k}` : id, { event: alertAcknowledged, if: `async.data.alertId in ${ids}`, timeout: until }))) return false;
          wakes++;
          if ((await step.run(`${id}-left-${k}`, () => firingMembers(group))).length === 0) return true;
        }
        await step.sleepUntil(`${id}-rest`, until);
        return false;
      }
      const acked = await step.waitForEvent(id, { event: alertAcknowledged, if: `async.data.alertId == ${JSON.stringify(alertId)} && async.data.fireCount == ${fireCount}`, timeout: `${delaySeconds}s` });
      return Boolean(acked);
    };
    /** Who the level tells: the alert, or the group's members still firing unacknowledged; none, and why, when the escalation is over. */
    const check = async (id: string): Promise<{ tell: EscalationMember[]; because?: string }> => {
      if (group) {
        const tell = await step.run(id, () => firingMembers(group));
        return tell.length ? { tell } : { tell, because: "none firing" };
      }
      const state = await step.run(id, () => escalationState(alertId, fireCount));
      return state === "firing" ? { tell: [{ alertId, fireCount }] } : { tell: [], because: state };
    };
    const figures = (f: Record<string, unknown>) => (group ? { ...f, alerts: group.length } : f);
    if (repeatFrom === undefined) {
      for (const [i, level] of levels.entries()) {
        if (level.delaySeconds > 0 && (await wait(`wait-level-${i}`, level.delaySeconds))) return figures({ stoppedBefore: i, because: "acknowledged" });
        const { tell, because } = await check(`check-level-${i}`);
        if (because) return figures({ stoppedBefore: i, because });
        await step.sendEvent(`notify-level-${i}`, levelEvents(tell, i, level));
      }
    }
    const last = levels.length - 1;
    const lastLevel = levels[last];
    const window = repeatWindow(repeatLastLevel, repeatFrom);
    if (!lastLevel || repeatLastLevel === 0 || lastLevel.delaySeconds <= 0) return figures({ levelsNotified: levels.length });
    for (let r = window.from; r < window.to; r++) {
      if (await wait(`wait-repeat-${r}`, lastLevel.delaySeconds)) return figures({ stoppedBeforeRepeat: r, because: "acknowledged" });
      const { tell, because } = await check(`check-repeat-${r}`);
      if (because) return figures({ stoppedBeforeRepeat: r, because });
      await step.sendEvent(`notify-repeat-${r}`, levelEvents(tell, last, lastLevel, r));
    }
    if (window.next !== null) {
      await step.sendEvent("chain-repeats", { id: chainedEscalationId(group ?? [{ alertId, fireCount }], window.next), name: alertEscalationRequested.name, data: { alertId, fireCount, policyId, repeatFrom: window.next, ...(group ? { group } : {}) } });
      return figures({ repeatsNotified: window.to - window.from, chainedFrom: window.next });
    }
    return figures({ levelsNotified: repeatFrom === undefined ? levels.length : 0, repeatsNotified: window.to - window.from });
  },
);

import { escalationEvents, notificationEvents } from "@/lib/alerts/notify";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { env } from "@/lib/env";
import { sweepSuppressions } from "@/lib/silences/suppression";
import { inngest } from "../client";

/**
 * The alert evaluator's tick (STEVEDORE_ALERT_EVAL_CRON, every 15 s by default): steps every
 * enabled rule's alerts and sends one notification event per channel of each firing or resolution.
 * Event ids are (alert, firing count, kind, channel), so a repeated tick never tells twice.
 */
export const evaluateAlertsFunction = inngest.createFunction(
  { id: "evaluate-alerts", retries: 1, triggers: [{ cron: env().STEVEDORE_ALERT_EVAL_CRON }] },
  async ({ step }) => {
    const evaluation = await step.run("evaluate", async () => {
      const { notifications, ...figures } = await evaluateAlerts();
      return { ...figures, events: [...notificationEvents(notifications), ...escalationEvents(notifications)] };
    });
    if (evaluation.events.length) await step.sendEvent("notify", evaluation.events);
    // Silences and windows that ended: what was held is told once (or dropped); orphaned automatic windows close.
    const swept = await step.run("sweep-suppressions", () => sweepSuppressions());
    if (swept.events.length) await step.sendEvent("notify-released", swept.events);
    return { rules: evaluation.rules, series: evaluation.series, changed: evaluation.changed, notifications: evaluation.events.length, failedSources: evaluation.failedSources };
  },
);

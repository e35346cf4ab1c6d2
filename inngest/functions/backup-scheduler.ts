import { claimDueDrills, pruneByRetention, startDueBackups } from "@/lib/backup/schedule-run";
import { env } from "@/lib/env";
import { inngest } from "../client";
import { drillRequested } from "../events";

/**
 * The backup scheduler's tick (STEVEDORE_BACKUP_SCHEDULER_CRON, every minute by default): starts
 * the BACKUPs whose slot has come, sends the drills that are due, and prunes by retention once the
 * backups it started earlier have completed. Each slot is claimed once, so a repeated tick is harmless.
 */
export const backupScheduler = inngest.createFunction(
  { id: "backup-scheduler", retries: 2, triggers: [{ cron: env().STEVEDORE_BACKUP_SCHEDULER_CRON }] },
  async ({ step, runId }) => {
    const started = await step.run("start-due-backups", () => startDueBackups(new Date(), runId));
    const drills = await step.run("claim-due-drills", () => claimDueDrills());
    if (drills.length) await step.sendEvent("start-drills", drills.map((d) => ({ id: `drill-${d.scheduleId}-${d.slot}`, name: drillRequested.name, data: d })));
    const pruned = await step.run("prune-by-retention", () => pruneByRetention(new Date(), runId));
    return { started: started.length, drills: drills.length, pruned: pruned.length };
  },
);

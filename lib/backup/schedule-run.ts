import { and, eq, isNotNull, lt, or, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { backupSchedules, type BackupSchedule } from "@/db/schema/backup-schedules";
import { backups } from "@/db/schema/backups";
import { getLogger } from "@/lib/observability/logger";
import { systemContext } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { deleteBackup } from "@/lib/services/backup/manage";
import { startBackup } from "@/lib/services/backup/start";
import { dueSlot, prunableBackups } from "./schedule";

/** What one tick of the backup scheduler does, each part a step of inngest/functions/backup-scheduler.ts. */

const classified = (err: unknown) => (err instanceof ServiceError ? err.message : "Internal error; see the server log.");

/**
 * Claims a slot: moves the schedule's mark to it only if it is still before it, so a tick that
 * runs twice (or two executors) starts each slot once. A claim whose start then fails is not retried.
 */
async function claimSlot(schedule: BackupSchedule, column: "lastRunAt" | "lastDrillAt", slot: Date): Promise<boolean> {
  const col = backupSchedules[column];
  const claimed = await getDb()
    .update(backupSchedules)
    .set({ [column]: slot })
    .where(and(eq(backupSchedules.id, schedule.id), or(isNull(col), lt(col, slot))))
    .returning({ id: backupSchedules.id });
  return claimed.length === 1;
}

async function noteError(scheduleId: string, message: string | null) {
  await getDb().update(backupSchedules).set({ lastError: message }).where(eq(backupSchedules.id, scheduleId));
}

/** Starts a BACKUP for every enabled schedule whose slot has come, as the system actor. */
export async function startDueBackups(now: Date = new Date(), correlationId?: string) {
  const due = await getDb().select().from(backupSchedules).where(eq(backupSchedules.enabled, true));
  const started: { scheduleId: string; backupId: string; operationId: string }[] = [];
  for (const schedule of due) {
    const slot = dueSlot(schedule.cron, schedule.lastRunAt ?? schedule.createdAt, now);
    if (!slot || !(await claimSlot(schedule, "lastRunAt", slot))) continue;
    // A backup slower than the schedule is not piled up behind: the slot is skipped, and said so.
    const [running] = await getDb().select({ id: backups.id }).from(backups).where(and(eq(backups.scheduleId, schedule.id), eq(backups.status, "running"))).limit(1);
    if (running) {
      await noteError(schedule.id, `The ${slot.toISOString()} slot was skipped: the previous scheduled backup was still running.`);
      continue;
    }
    try {
      const ctx = systemContext(correlationId);
      const result = await startBackup({ ctx, input: { collectionId: schedule.collectionId, kind: schedule.kind, vectors: schedule.vectors, note: `Scheduled (${schedule.cron})` } });
      await getDb().update(backups).set({ scheduleId: schedule.id }).where(eq(backups.id, result.backupId));
      await noteError(schedule.id, null);
      started.push({ scheduleId: schedule.id, backupId: result.backupId, operationId: result.operationId });
    } catch (err) {
      getLogger().warn({ err, scheduleId: schedule.id }, "a scheduled backup could not start");
      await noteError(schedule.id, `The ${slot.toISOString()} backup could not start: ${classified(err)}`);
    }
  }
  return started;
}

/** Claims every drill slot that has come; the caller sends one drill event per claim. */
export async function claimDueDrills(now: Date = new Date()) {
  const rows = await getDb().select().from(backupSchedules).where(and(eq(backupSchedules.enabled, true), isNotNull(backupSchedules.drillCron)));
  const claimed: { scheduleId: string; collectionId: string; slot: string }[] = [];
  for (const schedule of rows) {
    const slot = dueSlot(schedule.drillCron!, schedule.lastDrillAt ?? schedule.createdAt, now);
    if (slot && (await claimSlot(schedule, "lastDrillAt", slot))) claimed.push({ scheduleId: schedule.id, collectionId: schedule.collectionId, slot: slot.toISOString() });
  }
  return claimed;
}

/**
 * Retention: deletes the schedule's backups its rules no longer keep, through deleteBackup as the
 * system (file and row, audited), never the collection's only verified backup. A backup an
 * operation is using is left for a later tick.
 */
export async function pruneByRetention(now: Date = new Date(), correlationId?: string) {
  const db = getDb();
  const rows = await db.select().from(backupSchedules).where(or(isNotNull(backupSchedules.keepLast), isNotNull(backupSchedules.keepDays)));
  const pruned: string[] = [];
  for (const schedule of rows) {
    const candidates = await db.select({ id: backups.id, status: backups.status, createdAt: backups.createdAt, verifiedOk: backups.verifiedOk }).from(backups).where(eq(backups.scheduleId, schedule.id));
    const [{ n: verifiedElsewhere }] = (await db
      .select({ n: sql<number>`count(*)::int` })
      .from(backups)
      .where(and(eq(backups.collectionId, schedule.collectionId), eq(backups.status, "complete"), eq(backups.verifiedOk, true), sql`${backups.scheduleId} is distinct from ${schedule.id}`))) as [{ n: number }];
    for (const backupId of prunableBackups(candidates, schedule, verifiedElsewhere, now)) {
      try {
        await deleteBackup({ ctx: systemContext(correlationId), input: { backupId } });
        pruned.push(backupId);
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        getLogger().info({ backupId, reason: err.message }, "retention left a backup for a later tick");
      }
    }
  }
  return pruned;
}

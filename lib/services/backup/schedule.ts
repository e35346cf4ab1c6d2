import { asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { backupSchedules, type BackupSchedule } from "@/db/schema/backup-schedules";
import { collections } from "@/db/schema/collections";
import { can } from "@/lib/auth/rbac";
import { backupFlags, cronError, lastProven, type BackupFlag } from "@/lib/backup/schedule";
import { backups } from "@/db/schema/backups";
import { listCollections } from "../collection/read";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { forbidden, notFound } from "../errors";
import { findCollection } from "../collection/find";
import { authorize, parseInput, withTransaction } from "../verb";

const empty = (v: unknown) => (v === "" || v === null ? undefined : v);
const cron = (label: string) =>
  z
    .string({ message: `Give the ${label} as a cron expression.` })
    .trim()
    .min(1, { message: `Give the ${label} as a cron expression.` })
    .max(200)
    .superRefine((v, ctx) => {
      const error = cronError(v);
      if (error) ctx.addIssue({ code: "custom", message: error });
    });
const flag = z.preprocess((v) => (v === "on" || v === "true" ? true : v === "false" ? false : v), z.boolean());

export const SaveBackupScheduleInput = z.object({
  collectionId: z.uuid({ message: "Choose a collection." }),
  cron: cron("backup schedule"),
  kind: z.enum(["full", "schema"], { message: "Choose a full or a schema-only backup." }).default("full"),
  vectors: flag.default(true),
  keepLast: z.preprocess(empty, z.coerce.number().int().min(1, { message: "Keep at least 1, or leave it empty." }).max(10_000).optional()),
  keepDays: z.preprocess(empty, z.coerce.number().int().min(1, { message: "At least 1 day, or leave it empty." }).max(36_500).optional()),
  drillCron: z.preprocess(empty, cron("drill schedule").optional()),
  enabled: flag.default(true),
});

export const BackupScheduleRef = z.object({ scheduleId: z.uuid({ message: "Unknown schedule." }) });

/** Each collection's schedule (at most one), with the collection's name. */
export async function listBackupSchedules({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  return getDb()
    .select({ schedule: backupSchedules, collectionName: collections.name })
    .from(backupSchedules)
    .innerJoin(collections, eq(collections.id, backupSchedules.collectionId))
    .orderBy(asc(collections.name));
}

/**
 * Creates or changes a collection's schedule. A new schedule's first slot is the first after now;
 * a changed cron starts counting from now too, so a change never fires a backlog of slots.
 */
export async function saveBackupSchedule({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<BackupSchedule> {
  await authorize(ctx, "backup_schedule.manage", "backup_schedule.save", input);
  const data = await parseInput(ctx, "backup_schedule.save", SaveBackupScheduleInput, input);
  return withTransaction(ctx, "backup_schedule.save", async (tx) => {
    const collection = await findCollection(data.collectionId, tx);
    const [before] = await tx.select().from(backupSchedules).where(eq(backupSchedules.collectionId, collection.id)).for("update");
    const now = new Date();
    const values = { cron: data.cron, kind: data.kind, vectors: data.kind === "full" && data.vectors, keepLast: data.keepLast ?? null, keepDays: data.keepDays ?? null, drillCron: data.drillCron ?? null, enabled: data.enabled };
    const restart = { lastRunAt: before && before.cron === data.cron ? before.lastRunAt : now, lastDrillAt: before && before.drillCron === values.drillCron ? before.lastDrillAt : now };
    const [row] = before
      ? await tx.update(backupSchedules).set({ ...values, ...restart, lastError: null }).where(eq(backupSchedules.id, before.id)).returning()
      : await tx.insert(backupSchedules).values({ ...values, ...restart, collectionId: collection.id, createdBy: ctx.actor.id }).returning();
    await emitAudit(tx, ctx, { action: "backup_schedule.save", target: { type: "collection", id: collection.id }, params: { collection: collection.name, ...values, created: !before } });
    return row!;
  });
}

export async function deleteBackupSchedule({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "backup_schedule.manage", "backup_schedule.delete", input);
  const { scheduleId } = await parseInput(ctx, "backup_schedule.delete", BackupScheduleRef, input);
  return withTransaction(ctx, "backup_schedule.delete", async (tx) => {
    const [row] = await tx.delete(backupSchedules).where(eq(backupSchedules.id, scheduleId)).returning();
    if (!row) throw notFound("Schedule");
    await emitAudit(tx, ctx, { action: "backup_schedule.delete", target: { type: "backup_schedule", id: scheduleId }, params: { collectionId: row.collectionId, cron: row.cron } });
    return { scheduleId };
  });
}

export type CollectionBackupState = {
  collectionId: string;
  name: string;
  points: number;
  schedule: BackupSchedule | null;
  flags: BackupFlag[];
  lastBackupAt: Date | null;
  lastProvenAt: Date | null;
};

/** Per collection: its schedule, what the page warns of, and when a drill last proved a backup restorable. */
export async function backupOverview({ ctx, now = new Date() }: { ctx: ServiceContext; now?: Date }): Promise<CollectionBackupState[]> {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  const [list, schedules, rows] = await Promise.all([
    listCollections({ ctx }),
    getDb().select().from(backupSchedules),
    getDb()
      .select({ collectionId: backups.collectionId, status: backups.status, createdAt: backups.createdAt, pointCount: backups.pointCount, kind: backups.kind, verifiedOk: backups.verifiedOk, drillOk: backups.drillOk, drilledAt: backups.drilledAt })
      .from(backups)
      .orderBy(desc(backups.createdAt))
      .limit(10_000),
  ]);
  return list
    .filter(({ collection }) => collection.status !== "deleting")
    .map(({ collection, stats }) => {
      const own = rows.filter((r) => r.collectionId === collection.id);
      const schedule = schedules.find((s) => s.collectionId === collection.id) ?? null;
      const times = own.map((b) => b.createdAt.getTime());
      return {
        collectionId: collection.id,
        name: collection.name,
        points: stats.points,
        schedule,
        flags: backupFlags({ points: stats.points, backups: own, schedule }, now),
        lastBackupAt: times.length ? new Date(Math.max(...times)) : null,
        lastProvenAt: lastProven(own),
      };
    });
}

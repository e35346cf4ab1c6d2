import { boolean, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { collections } from "./collections";
import { createdAt, id, updatedAt } from "./columns";
import { users } from "./users";

/**
 * A collection's backup schedule: the scheduler (inngest/functions/backup-scheduler.ts) starts a
 * BACKUP on each slot of `cron`, prunes by retention, and on `drillCron` restores the latest
 * backup into a scratch collection to prove it (inngest/functions/restore-drill.ts).
 */
export const backupSchedules = pgTable(
  "backup_schedules",
  {
    id: id(),
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    /** croner syntax: 5 fields, or 6 with seconds first. */
    cron: text("cron").notNull(),
    kind: text("kind", { enum: ["full", "schema"] }).notNull().default("full"),
    vectors: boolean("vectors").notNull().default(true),
    /** Retention: a backup is kept while any set rule keeps it; neither set keeps every backup. */
    keepLast: integer("keep_last"),
    keepDays: integer("keep_days"),
    drillCron: text("drill_cron"),
    enabled: boolean("enabled").notNull().default(true),
    /** The last slot claimed (started once, even if the tick runs twice). */
    lastRunAt: timestamp("last_run_at", { withTimezone: true }),
    lastDrillAt: timestamp("last_drill_at", { withTimezone: true }),
    /** Why the last slot could not start its backup or drill (a classified message). */
    lastError: text("last_error"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("backup_schedules_collection_key").on(t.collectionId)],
);

export type BackupSchedule = typeof backupSchedules.$inferSelect;
export type NewBackupSchedule = typeof backupSchedules.$inferInsert;

/** What a restore drill found: the queries it ran on the scratch collection and how well they did. */
export type DrillReport = {
  scratch: string;
  operationId: string | null;
  points: number | null;
  queries: { kind: "golden" | "sample"; query: string; hits: number; recall: number | null }[];
  /** Mean recall of the golden queries' expected documents (null: no golden queries). */
  goldenRecall: number | null;
  errors: string[];
};

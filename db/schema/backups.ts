import { bigint, boolean, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { backupSchedules, type DrillReport } from "./backup-schedules";
import { createdAt, id } from "./columns";
import { collections } from "./collections";
import { operations } from "./operations";
import { users } from "./users";

/** A backup file under STEVEDORE_BACKUP_DIR: taken by a BACKUP (or a CLEAR that backs up first), or imported from an upload. */
export const backups = pgTable(
  "backups",
  {
    id: id(),
    collectionId: uuid("collection_id").references(() => collections.id, { onDelete: "set null" }),
    /** Name at backup time, so the artifact stays meaningful after the collection is gone. */
    collectionName: text("collection_name").notNull(),
    operationId: uuid("operation_id").references(() => operations.id, { onDelete: "set null" }),
    origin: text("origin", { enum: ["backup", "import"] }).notNull().default("backup"),
    kind: text("kind", { enum: ["full", "schema"] }).notNull(),
    /** Whether point lines carry their vectors (without them a restore re-embeds the payload's text). */
    vectors: boolean("vectors").notNull().default(true),
    /** Null: every source; else the names of the sources it covers. */
    sourceFilter: jsonb("source_filter").$type<string[] | null>(),
    note: text("note").notNull().default(""),
    status: text("status", { enum: ["running", "complete", "failed"] }).notNull(),
    error: text("error"),
    path: text("path").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    sha256: text("sha256"),
    pointCount: bigint("point_count", { mode: "number" }),
    documentCount: bigint("document_count", { mode: "number" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** The last VERIFY_BACKUP (or restore) that read the whole file: when, and whether it held. */
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    verifiedOk: boolean("verified_ok"),
    verifyError: text("verify_error"),
    /** Set when a schedule took it: retention prunes only its own schedule's backups. */
    scheduleId: uuid("schedule_id").references(() => backupSchedules.id, { onDelete: "set null" }),
    /** The last restore drill: restored into a scratch collection and queried. */
    drilledAt: timestamp("drilled_at", { withTimezone: true }),
    drillOk: boolean("drill_ok"),
    drillReport: jsonb("drill_report").$type<DrillReport>(),
  },
  (t) => [index("backups_collection_idx").on(t.collectionId, t.createdAt), index("backups_created_idx").on(t.createdAt)],
);

export type Backup = typeof backups.$inferSelect;

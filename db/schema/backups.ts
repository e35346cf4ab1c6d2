import { bigint, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { collections } from "./collections";
import { operations } from "./operations";

export const backups = pgTable("backups", {
  id: id(),
  collectionId: uuid("collection_id").references(() => collections.id, { onDelete: "set null" }),
  /** Name at backup time, so the artifact stays meaningful after the collection is gone. */
  collectionName: text("collection_name").notNull(),
  operationId: uuid("operation_id").references(() => operations.id, { onDelete: "set null" }),
  kind: text("kind", { enum: ["full", "schema"] }).notNull(),
  status: text("status", { enum: ["running", "complete", "failed"] }).notNull(),
  path: text("path").notNull(),
  sizeBytes: bigint("size_bytes", { mode: "number" }),
  sha256: text("sha256"),
  pointCount: bigint("point_count", { mode: "number" }),
  createdAt: createdAt(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});

export type Backup = typeof backups.$inferSelect;

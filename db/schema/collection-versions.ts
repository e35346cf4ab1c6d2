import { bigint, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { collections } from "./collections";

export const collectionVersions = pgTable(
  "collection_versions",
  {
    id: id(),
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** Name of the physical collection in the vector store, e.g. `docs__v3`. */
    physicalName: text("physical_name").notNull(),
    status: text("status", { enum: ["staging", "active", "retired", "deleted", "failed"] }).notNull(),
    pointCount: bigint("point_count", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
    activatedAt: timestamp("activated_at", { withTimezone: true }),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("collection_versions_collection_version_key").on(t.collectionId, t.version)],
);

export type CollectionVersion = typeof collectionVersions.$inferSelect;

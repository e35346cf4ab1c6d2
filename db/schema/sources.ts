import { pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { collections } from "./collections";

export const sources = pgTable(
  "sources",
  {
    id: id(),
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["directory", "upload"] }).notNull(),
    /** Server directory (under STEVEDORE_SOURCE_ROOTS) or the upload folder. */
    path: text("path").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("sources_collection_name_key").on(t.collectionId, t.name)],
);

export type Source = typeof sources.$inferSelect;

import { bigint, pgTable, uuid } from "drizzle-orm/pg-core";
import { collections } from "./collections";

/**
 * Each collection's documents and dead letters, kept by triggers on `documents` (migration
 * 0020_document_count_triggers) so that /api/metrics reads 100 rows however many documents there
 * are. A collection without a row has no documents. Read only; the triggers are its one writer.
 */
export const collectionDocumentCounts = pgTable("collection_document_counts", {
  collectionId: uuid("collection_id")
    .primaryKey()
    .references(() => collections.id, { onDelete: "cascade" }),
  documents: bigint("documents", { mode: "number" }).notNull().default(0),
  dead: bigint("dead", { mode: "number" }).notNull().default(0),
});

export type CollectionDocumentCount = typeof collectionDocumentCounts.$inferSelect;

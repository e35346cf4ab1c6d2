import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { collections } from "./collections";
import { documents } from "./documents";

export const chunks = pgTable(
  "chunks",
  {
    /** UUID v5 of document id + ordinal + content hash: the same chunk always gets the same id. */
    id: uuid("id").primaryKey(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    ordinal: integer("ordinal").notNull(),
    contentHash: text("content_hash").notNull(),
    text: text("text").notNull(),
    tokenCount: integer("token_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("chunks_document_ordinal_key").on(t.documentId, t.ordinal),
    index("chunks_collection_idx").on(t.collectionId),
  ],
);

export type Chunk = typeof chunks.$inferSelect;

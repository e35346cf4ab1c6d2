import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { collections } from "./collections";
import { sources } from "./sources";
import { DOCUMENT_STAGES } from "@/lib/document-stages";

export { DOCUMENT_STAGES, type DocumentStage } from "@/lib/document-stages";

export const documents = pgTable(
  "documents",
  {
    id: id(),
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    /** Path relative to the source root. */
    path: text("path").notNull(),
    contentHash: text("content_hash"),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull().default(0),
    mimeType: text("mime_type"),
    stage: text("stage", { enum: DOCUMENT_STAGES }).notNull().default("uploaded"),
    stageChangedAt: timestamp("stage_changed_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    errorStage: text("error_stage"),
    errorClass: text("error_class"),
    errorMessage: text("error_message"),
    title: text("title"),
    chunkCount: integer("chunk_count").notNull().default(0),
    /** Set when the same content is already in the collection: this one is skipped and counted. */
    duplicateOf: uuid("duplicate_of"),
    /** The operation that last (re)queued this document; its progress counts it. */
    operationId: uuid("operation_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("documents_source_path_key").on(t.sourceId, t.path),
    index("documents_collection_stage_idx").on(t.collectionId, t.stage),
    index("documents_collection_hash_idx").on(t.collectionId, t.contentHash),
    index("documents_operation_stage_idx").on(t.operationId, t.stage),
  ],
);

export type Document = typeof documents.$inferSelect;

/**
 * A document's parsed text, kept so a reindex does not need the source files. Apart from the
 * documents row, whose stage changes many times while the text is written once. Chunks are not
 * stored: chunking is deterministic, so a stage that needs them cuts them again from this text.
 */
export const documentTexts = pgTable("document_texts", {
  documentId: uuid("document_id")
    .primaryKey()
    .references(() => documents.id, { onDelete: "cascade" }),
  text: text("text").notNull(),
});

/**
 * Stage changes with their times: the per-document history and stage latencies. A pipeline batch
 * moves many documents at once, so one row names all the documents that changed to `stage` at
 * `at` (with the same error, if any). Rows stay when their documents are removed: they are part
 * of the record of the operation that made them.
 */
export const documentEvents = pgTable(
  "document_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    documentIds: uuid("document_ids").array().notNull(),
    operationId: uuid("operation_id"),
    stage: text("stage", { enum: DOCUMENT_STAGES }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    errorClass: text("error_class"),
    message: text("message"),
  },
  (t) => [index("document_events_documents_idx").using("gin", t.documentIds)],
);

export type DocumentEvent = typeof documentEvents.$inferSelect;

import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { collections, DISTANCES } from "./collections";
import { documents } from "./documents";
import { users } from "./users";

export const VERSION_STATUSES = ["staging", "active", "retired", "deleted", "failed"] as const;

/**
 * A physical collection in the vector store (`docs__v3`) and the settings its points were made
 * with. The collection's alias points at the `active` one; a reindex builds a `staging` one beside
 * it; the one it replaced is `retired` and kept until `deleteAfter` for a rollback (unless `keep`).
 */
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
    status: text("status", { enum: VERSION_STATUSES }).notNull(),
    pointCount: bigint("point_count", { mode: "number" }).notNull().default(0),
    embeddingModel: text("embedding_model").notNull(),
    dimension: integer("dimension").notNull(),
    distance: text("distance", { enum: DISTANCES }).notNull(),
    chunkSize: integer("chunk_size").notNull(),
    chunkOverlap: integer("chunk_overlap").notNull(),
    /** The REINDEX that built it (null for the first version, built by INDEX). */
    operationId: uuid("operation_id"),
    /** Reprocessing's durable position: the last document id written, and what was written up to it. */
    cursor: uuid("cursor"),
    documentsDone: integer("documents_done").notNull().default(0),
    pointsWritten: bigint("points_written", { mode: "number" }).notNull().default(0),
    /** A retired version is dropped after this, unless `keep`. */
    deleteAfter: timestamp("delete_after", { withTimezone: true }),
    keep: boolean("keep").notNull().default(false),
    createdAt: createdAt(),
    activatedAt: timestamp("activated_at", { withTimezone: true }),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("collection_versions_collection_version_key").on(t.collectionId, t.version)],
);

/**
 * Each document's chunk count in a version other than the live one's (a staging version being
 * built, a retired one kept for rollback): the switch moves them onto `documents.chunk_count`.
 * `writes` counts how often reprocessing wrote the document: above 1 after a crash mid-batch.
 */
export const versionDocuments = pgTable(
  "version_documents",
  {
    versionId: uuid("version_id")
      .notNull()
      .references(() => collectionVersions.id, { onDelete: "cascade" }),
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    chunkCount: integer("chunk_count").notNull(),
    writes: integer("writes").notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.documentId] }), index("version_documents_document_idx").on(t.documentId)],
);

/** Every move of a collection's alias: who, when, from which version to which, by which operation. */
export const aliasChanges = pgTable(
  "alias_changes",
  {
    id: id(),
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    actorLabel: text("actor_label").notNull(),
    fromVersion: integer("from_version"),
    toVersion: integer("to_version").notNull(),
    operationId: uuid("operation_id"),
    reason: text("reason", { enum: ["index", "reindex", "rollback", "restore"] }).notNull(),
  },
  (t) => [index("alias_changes_collection_idx").on(t.collectionId, t.at)],
);

/** A query an operator expects to find certain documents: a validation gate of every reindex. */
export const goldenQueries = pgTable(
  "golden_queries",
  {
    id: id(),
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    query: text("query").notNull(),
    expectedDocumentIds: uuid("expected_document_ids").array().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("golden_queries_collection_idx").on(t.collectionId)],
);

export type CollectionVersion = typeof collectionVersions.$inferSelect;
export type AliasChange = typeof aliasChanges.$inferSelect;
export type GoldenQuery = typeof goldenQueries.$inferSelect;

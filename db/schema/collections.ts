import { integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { users } from "./users";

export const DISTANCES = ["cosine", "dot", "euclid"] as const;
export const VECTOR_BACKENDS = ["lancedb", "qdrant"] as const;

/** A collection's reindex rules; what is unset takes the default (lib/reindex/policy.ts). */
export type ReindexPolicy = Partial<{
  countTolerance: number;
  minOverlap: number;
  minRecall: number;
  maxScoreDrift: number;
  approvalTimeoutHours: number;
  rollbackWindowHours: number;
  /** The approver must be someone other than the requester. */
  distinctApprover: boolean;
}>;

/**
 * How Qdrant lays out each version's collection (vectors on disk, HNSW m / ef_construct, shards,
 * replicas); what is unset takes the server's default. LanceDB has no such settings.
 */
export type VectorLayout = Partial<{
  vectorsOnDisk: boolean;
  hnswM: number;
  hnswEfConstruct: number;
  shardNumber: number;
  replicationFactor: number;
}>;

/** A collection is an alias; its live data is the active row in collection_versions. */
export const collections = pgTable(
  "collections",
  {
    id: id(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    embeddingModel: text("embedding_model").notNull(),
    dimension: integer("dimension").notNull(),
    distance: text("distance", { enum: DISTANCES }).notNull().default("cosine"),
    chunkSize: integer("chunk_size").notNull(),
    chunkOverlap: integer("chunk_overlap").notNull(),
    vectorBackend: text("vector_backend", { enum: VECTOR_BACKENDS }).notNull(),
    activeVersion: integer("active_version"),
    reindexPolicy: jsonb("reindex_policy").$type<ReindexPolicy>().notNull().default({}),
    vectorLayout: jsonb("vector_layout").$type<VectorLayout>().notNull().default({}),
    status: text("status", { enum: ["creating", "ready", "busy", "error", "deleting"] })
      .notNull()
      .default("creating"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("collections_name_key").on(t.name)],
);

export type Collection = typeof collections.$inferSelect;
export type NewCollection = typeof collections.$inferInsert;

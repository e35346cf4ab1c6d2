import { sql } from "drizzle-orm";
import { bigint, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { collections } from "./collections";
import { users } from "./users";
import { OPERATION_STATUSES, OPERATION_TYPES } from "../../lib/operation-status";

export { OPERATION_STATUSES, OPERATION_TYPES };
export type OperationType = (typeof OPERATION_TYPES)[number];
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** `chunks` (pipeline operations): of the documents parsed so far, the chunks stored and the chunks in all. */
export type OperationProgress = { done: number; total: number; unit: string; bytes?: number; ratePerS?: number; etaS?: number; chunks?: { done: number; total: number } };

export const operations = pgTable(
  "operations",
  {
    id: id(),
    type: text("type", { enum: OPERATION_TYPES }).notNull(),
    collectionId: uuid("collection_id").references(() => collections.id, { onDelete: "set null" }),
    status: text("status", { enum: OPERATION_STATUSES }).notNull().default("queued"),
    params: jsonb("params").$type<Record<string, unknown>>().notNull().default({}),
    progress: jsonb("progress").$type<OperationProgress>(),
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    /** What the operation is doing or waiting for right now, in words for the operator. */
    statusMessage: text("status_message"),
    requestedBy: uuid("requested_by").references(() => users.id),
    correlationId: text("correlation_id").notNull(),
    /** Disk the operation may still write, held while it is under way so two cannot pass one free-disk check. */
    reservedBytes: bigint("reserved_bytes", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  // The job history's order is (created_at, id) descending: each filter has an index that starts with
  // it and goes on in that order, so a page is an index range read at any size. NULLS FIRST is what a
  // plain ORDER BY … DESC means; an index in another null order cannot serve it. The other filter
  // columns follow as trailing keys: the scan checks them in the index, so a row that does not match
  // costs no heap read and a capped count stays cheap (lib/services/operation/list.ts, bench/observability.ts).
  (t) => {
    // A function: drizzle's column builders carry their order, so each index needs its own.
    const order = () => [t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()] as const;
    return [
      index("operations_created_idx").on(...order(), t.status, t.type, t.collectionId, t.requestedBy),
      index("operations_collection_idx").on(t.collectionId, ...order(), t.status, t.type, t.requestedBy),
      index("operations_status_idx").on(t.status, ...order(), t.type, t.collectionId, t.requestedBy),
      index("operations_type_idx").on(t.type, ...order(), t.status, t.collectionId, t.requestedBy),
      index("operations_requested_by_idx").on(t.requestedBy, ...order(), t.status, t.type, t.collectionId),
      // Status is the usual second filter ("failed in this collection", "failed REINDEX"): pairs of their own.
      index("operations_collection_status_idx").on(t.collectionId, t.status, ...order(), t.type, t.requestedBy),
      index("operations_type_status_idx").on(t.type, t.status, ...order(), t.collectionId, t.requestedBy),
      index("operations_outcome_idx").on(sql`(${t.result}->>'outcome')`, ...order(), t.status, t.type, t.collectionId, t.requestedBy).where(sql`(${t.result}->>'outcome') is not null`),
      // Text search in the error (ILIKE '%…%'); needs pg_trgm (migration 0010). An id is searched by its
      // start, a range of the primary key: a trigram index of 10M ids would be large and slow to build.
      index("operations_error_search_idx").using("gin", t.error.op("gin_trgm_ops")),
      index("operations_retry_of_idx").on(sql`(${t.params}->>'retryOf')`).where(sql`(${t.params}->>'retryOf') is not null`),
    ];
  },
);

export const operationSteps = pgTable(
  "operation_steps",
  {
    id: id(),
    operationId: uuid("operation_id")
      .notNull()
      .references(() => operations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: text("status", { enum: ["pending", "running", "succeeded", "failed", "skipped"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    output: jsonb("output").$type<unknown>(),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("operation_steps_operation_idx").on(t.operationId)],
);

export const operationLogs = pgTable(
  "operation_logs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    operationId: uuid("operation_id")
      .notNull()
      .references(() => operations.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    level: text("level", { enum: ["debug", "info", "warn", "error"] }).notNull(),
    message: text("message").notNull(),
    fields: jsonb("fields").$type<Record<string, unknown>>(),
  },
  (t) => [index("operation_logs_operation_idx").on(t.operationId, t.id)],
);

export const operationMetrics = pgTable("operation_metrics", {
  operationId: uuid("operation_id")
    .primaryKey()
    .references(() => operations.id, { onDelete: "cascade" }),
  durationMs: bigint("duration_ms", { mode: "number" }),
  cpuUserMs: bigint("cpu_user_ms", { mode: "number" }),
  cpuSystemMs: bigint("cpu_system_ms", { mode: "number" }),
  peakRssBytes: bigint("peak_rss_bytes", { mode: "number" }),
  documents: bigint("documents", { mode: "number" }).notNull().default(0),
  chunks: bigint("chunks", { mode: "number" }).notNull().default(0),
  vectors: bigint("vectors", { mode: "number" }).notNull().default(0),
  bytes: bigint("bytes", { mode: "number" }).notNull().default(0),
  /** Read from sources, kept texts or a backup file; written to the vector store or a backup file. */
  bytesRead: bigint("bytes_read", { mode: "number" }).notNull().default(0),
  bytesWritten: bigint("bytes_written", { mode: "number" }).notNull().default(0),
  /** embed() calls the operation made, and the tokens they carried (the provider's `usage`, else estimated). */
  embeddingCalls: bigint("embedding_calls", { mode: "number" }).notNull().default(0),
  embeddingTokens: bigint("embedding_tokens", { mode: "number" }).notNull().default(0),
});

/** The stages an operation's time is broken down into (operation_stage_metrics.stage). */
export const OPERATION_STAGES = ["scan", "parse", "chunk", "embed", "store", "validate", "switch", "backup-write", "restore-load", "backup-verify", "clear"] as const;
export type OperationStage = (typeof OPERATION_STAGES)[number];

/**
 * Time an operation spent in each stage, summed over its batches: each batch adds its figures in
 * the transaction that commits its work, so a batch repeated after that commit (which finds
 * nothing left to do) adds nothing, and one cut short before it added nothing either.
 */
export const operationStageMetrics = pgTable(
  "operation_stage_metrics",
  {
    operationId: uuid("operation_id")
      .notNull()
      .references(() => operations.id, { onDelete: "cascade" }),
    stage: text("stage", { enum: OPERATION_STAGES }).notNull(),
    /** Milliseconds, fractional: a small batch's chunking takes well under one. */
    totalMs: doublePrecision("total_ms").notNull().default(0),
    /** Timed calls (a parse group, an embedding call, an upsert, a validation). */
    calls: bigint("calls", { mode: "number" }).notNull().default(0),
    /** What the calls handled: files, documents, chunks, points or queries, by stage. */
    items: bigint("items", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.operationId, t.stage] })],
);

export type Operation = typeof operations.$inferSelect;
export type OperationStep = typeof operationSteps.$inferSelect;
export type OperationLog = typeof operationLogs.$inferSelect;
export type OperationMetrics = typeof operationMetrics.$inferSelect;
export type OperationStageMetric = typeof operationStageMetrics.$inferSelect;

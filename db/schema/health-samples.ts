import { bigint, index, integer, jsonb, pgTable, real, text, timestamp } from "drizzle-orm/pg-core";

export const HEALTH_STATUSES = ["healthy", "degraded", "unhealthy"] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** One collection's size when the sample was taken. */
export type CollectionSample = { id: string; name: string; points: number; documents: number; deadLetters: number };

/** One embedder's circuit breaker when the sample was taken. */
export type BreakerSample = { model: string; open: boolean };

/**
 * What the health sampler (inngest/functions/sample-health.ts) saw once a minute: each component's
 * status, the sampling process's memory and CPU, free disk per data directory, and the app's figures.
 * Kept for STEVEDORE_HEALTH_RETENTION_DAYS.
 */
export const healthSamples = pgTable(
  "health_samples",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    status: text("status", { enum: HEALTH_STATUSES }).notNull(),
    /** Component name → its status and, when not healthy, our (classified) reason. */
    components: jsonb("components").$type<Record<string, { status: HealthStatus; message?: string }>>().notNull(),
    rssBytes: bigint("rss_bytes", { mode: "number" }).notNull(),
    heapUsedBytes: bigint("heap_used_bytes", { mode: "number" }).notNull(),
    /** The sampling process's CPU since its previous sample, in % of one core (null on its first sample). */
    cpuPercent: real("cpu_percent"),
    /** Data directory label (data, backups, lancedb) → free bytes. */
    diskFree: jsonb("disk_free").$type<Record<string, number>>().notNull(),
    collections: jsonb("collections").$type<CollectionSample[]>().notNull(),
    runningOperations: integer("running_operations").notNull(),
    waitingOperations: integer("waiting_operations").notNull(),
    deadLetters: integer("dead_letters").notNull(),
    /** Runs of the local executor with work due and unclaimed (null: sampled before this was kept), for rule previews. */
    runsWaiting: integer("runs_waiting"),
    /** Each embedder's breaker (null: sampled before this was kept), for rule previews. */
    breakers: jsonb("breakers").$type<BreakerSample[]>(),
  },
  (t) => [index("health_samples_at_idx").on(t.at)],
);

export type HealthSample = typeof healthSamples.$inferSelect;
export type NewHealthSample = typeof healthSamples.$inferInsert;

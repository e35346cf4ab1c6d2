import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * State of the local executor, the embedded stand-in for the Inngest server. Everything a run needs
 * to resume after a crash lives here: runs, memoized steps, the work queue (calls, timers), pauses.
 */
export const EXECUTOR_RUN_STATUSES = ["queued", "running", "sleeping", "waiting", "completed", "failed", "cancelled"] as const;
export type ExecutorRunStatus = (typeof EXECUTOR_RUN_STATUSES)[number];
export const EXECUTOR_ACTIVE_STATUSES = ["queued", "running", "sleeping", "waiting"] as const;

/** Functions learned from the app by in-band sync; `config` is the SDK's function config verbatim. */
export const executorFunctions = pgTable("executor_functions", {
  id: text("id").primaryKey(),
  appUrl: text("app_url").notNull(),
  name: text("name").notNull(),
  config: jsonb("config").$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const executorEvents = pgTable(
  "executor_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    externalId: text("external_id"),
    name: text("name").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    ts: bigint("ts", { mode: "number" }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("executor_events_name_idx").on(t.name, t.receivedAt), index("executor_events_received_idx").on(t.receivedAt)],
);

export const executorRuns = pgTable(
  "executor_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    functionId: text("function_id").notNull(),
    eventId: uuid("event_id"),
    event: jsonb("event").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: EXECUTOR_RUN_STATUSES }).notNull().default("queued"),
    maxAttempts: integer("max_attempts").notNull().default(4),
    disableImmediate: boolean("disable_immediate").notNull().default(false),
    // Number of memoized steps: the next one's position in the stack.
    stepCount: integer("step_count").notNull().default(0),
    // What the run has used of Inngest's limits, enforced by the executor (see local-executor/limits.ts).
    stateBytes: bigint("state_bytes", { mode: "number" }).notNull().default(0),
    maxStepOutputBytes: integer("max_step_output_bytes").notNull().default(0),
    eventBytes: integer("event_bytes").notNull().default(0),
    // A batchEvents run's events (the SDK's `events`); null means `[event]`.
    events: jsonb("events").$type<Record<string, unknown>[]>(),
    output: jsonb("output").$type<unknown>(),
    error: jsonb("error").$type<Record<string, unknown>>(),
    concurrencyKeys: text("concurrency_keys").array().notNull().default(sql`'{}'::text[]`),
    concurrencyLimits: integer("concurrency_limits").array().notNull().default(sql`'{}'::integer[]`),
    singletonKey: text("singleton_key"),
    priority: integer("priority").notNull().default(0),
    parentRunId: uuid("parent_run_id"),
    parentStep: text("parent_step"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("executor_runs_created_idx").on(t.createdAt, t.id),
    index("executor_runs_function_idx").on(t.functionId, t.createdAt),
    index("executor_runs_status_idx").on(t.status, t.createdAt),
    index("executor_runs_parent_idx").on(t.parentRunId),
    index("executor_runs_event_idx").on(t.eventId),
    // One active run per singleton key: the database enforces it, so concurrent events cannot race.
    uniqueIndex("executor_runs_singleton_uq")
      .on(t.functionId, t.singletonKey)
      .where(sql`singleton_key is not null and status in ('queued', 'running', 'sleeping', 'waiting')`),
  ],
);

/** One row per step of a run; `memo` (with `done`) is what the SDK receives in `steps` on every call. */
export const executorSteps = pgTable(
  "executor_steps",
  {
    runId: uuid("run_id").notNull(),
    hash: text("hash").notNull(),
    stepId: text("step_id"),
    name: text("name"),
    op: text("op").notNull(),
    status: text("status", { enum: ["running", "sleeping", "waiting", "completed", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    done: boolean("done").notNull().default(false),
    position: integer("position"),
    memo: jsonb("memo").$type<unknown>(),
    error: jsonb("error").$type<Record<string, unknown>>(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.runId, t.hash] })],
);

/**
 * Due work: SDK calls (`step_hash` null = discover the next step), sleep ends and wait timeouts.
 * `locked_by` names the executor instance working on an item; it holds an advisory lock while alive.
 */
export const executorQueue = pgTable(
  "executor_queue",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runId: uuid("run_id").notNull(),
    kind: text("kind", { enum: ["call", "sleep", "wait_timeout", "debounce", "batch", "invoke_timeout"] }).notNull(),
    stepHash: text("step_hash"),
    attempt: integer("attempt").notNull().default(0),
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    sortAt: timestamp("sort_at", { withTimezone: true }).notNull().defaultNow(),
    concurrencyKeys: text("concurrency_keys").array().notNull().default(sql`'{}'::text[]`),
    concurrencyLimits: integer("concurrency_limits").array().notNull().default(sql`'{}'::integer[]`),
    lockedBy: integer("locked_by"),
    lockedAt: timestamp("locked_at", { withTimezone: true }),
    // The claim holds until then; its worker's heartbeat extends it, and anyone may take it back after.
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    payload: jsonb("payload").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("executor_queue_due_idx").on(t.runAt).where(sql`locked_by is null`),
    index("executor_queue_locked_idx").on(t.lockedBy).where(sql`locked_by is not null`),
    index("executor_queue_run_idx").on(t.runId),
    // A planned step is queued at most once, so a stale discovery cannot run it twice in parallel.
    uniqueIndex("executor_queue_step_uq").on(t.runId, t.stepHash).where(sql`kind = 'call' and step_hash is not null`),
  ],
);

/** A run waiting for an event (`step.waitForEvent`). */
export const executorPauses = pgTable(
  "executor_pauses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id").notNull(),
    stepHash: text("step_hash").notNull(),
    eventName: text("event_name").notNull(),
    condition: text("condition"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("executor_pauses_event_idx").on(t.eventName), index("executor_pauses_run_idx").on(t.runId)],
);

/** Idempotency keys: one run per (function, key) for 24 hours. */
export const executorIdempotency = pgTable(
  "executor_idempotency",
  {
    functionId: text("function_id").notNull(),
    key: text("key").notNull(),
    runId: uuid("run_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.functionId, t.key] }), index("executor_idempotency_expires_idx").on(t.expiresAt)],
);

/** Next fire time of each cron trigger; claimed with SKIP LOCKED so several executors fire once. */
export const executorCrons = pgTable(
  "executor_crons",
  {
    functionId: text("function_id").notNull(),
    cron: text("cron").notNull(),
    nextAt: timestamp("next_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.functionId, t.cron] }), index("executor_crons_next_idx").on(t.nextAt)],
);

/**
 * A pending debounce (one per function and key): the latest event waits for `fire_at`, which each
 * new event pushes back, capped at `started_at + timeout`. A `debounce` queue item (run_id = id) fires it.
 */
export const executorDebounces = pgTable(
  "executor_debounces",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    functionId: text("function_id").notNull(),
    key: text("key").notNull(),
    event: jsonb("event").$type<Record<string, unknown>>().notNull(),
    eventId: uuid("event_id"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    fireAt: timestamp("fire_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("executor_debounces_key_uq").on(t.functionId, t.key)],
);

/** An open event batch (one per function and key); it becomes one run at `maxSize` or when its `batch` item fires. */
export const executorBatches = pgTable(
  "executor_batches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    functionId: text("function_id").notNull(),
    key: text("key").notNull(),
    events: jsonb("events").$type<Record<string, unknown>[]>().notNull(),
    size: integer("size").notNull(),
    firstEventId: uuid("first_event_id"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("executor_batches_key_uq").on(t.functionId, t.key)],
);

export type ExecutorFunction = typeof executorFunctions.$inferSelect;
export type ExecutorEvent = typeof executorEvents.$inferSelect;
export type ExecutorRun = typeof executorRuns.$inferSelect;
export type NewExecutorRun = typeof executorRuns.$inferInsert;
export type ExecutorStep = typeof executorSteps.$inferSelect;
export type ExecutorQueueItem = typeof executorQueue.$inferSelect;
export type ExecutorPause = typeof executorPauses.$inferSelect;

import type { Logger } from "pino";
import type { Sql, TxSql } from "./db";
import type { FunctionRegistry } from "./registry";
import type { UsageLimits } from "./usage-limits";

/** An event as senders give it (Event API, step.sendEvent, the executor's own system events). */
export type IncomingEvent = { name: string; data?: Record<string, unknown>; id?: string; ts?: number; v?: string; user?: unknown };

/** What every part of the executor shares: the pool, the function registry and its settings. */
export type ExecutorContext = {
  sql: Sql;
  registry: FunctionRegistry;
  logger: Logger;
  signingKey?: string;
  /** When set, the Event API (`POST /e/:key`) refuses any other key. */
  eventKey?: string;
  /** First retry delay; later ones double, with jitter. */
  retryBaseMs: number;
  callTimeoutMs: number;
  /** Inngest's limits (steps, step result, run state, event, step duration): a run that breaks one fails. */
  limits: UsageLimits;
  /** Calls let the SDK checkpoint (run a run's steps in one call), as Inngest's server does. */
  checkpointing: boolean;
  /** This process's checkpointing calls by qi_id: a checkpoint restarts its call's step timer. */
  checkpointingCalls: Map<string, () => void>;
  /** How long a run whose function is not registered (a rolling restart) waits for it before failing. */
  missingFunctionGraceMs: number;
  /** Tells this process's workers that new work is due now. */
  wake: () => void;
  /** Ingests events in the caller's transaction (triggers, pauses, cancelOn); set up in index.ts so runs.ts needs no import of triggers.ts. */
  emit: (tx: TxSql, events: IncomingEvent[]) => Promise<string[]>;
};

export const ACTIVE_STATUSES = ["queued", "running", "sleeping", "waiting"];

/** The run columns the executor's write paths need. */
export type RunRow = {
  id: string;
  function_id: string;
  event: Record<string, unknown>;
  status: string;
  max_attempts: number;
  disable_immediate: boolean;
  step_count: number;
  state_bytes: number;
  concurrency_keys: string[];
  concurrency_limits: number[];
  priority: number;
  parent_run_id: string | null;
  parent_step: string | null;
  /** batchEvents runs only: every event of the batch. */
  events: Record<string, unknown>[] | null;
};

export const RUN_COLUMNS = [
  "id",
  "function_id",
  "event",
  "status",
  "max_attempts",
  "disable_immediate",
  "step_count",
  "state_bytes",
  "concurrency_keys",
  "concurrency_limits",
  "priority",
  "parent_run_id",
  "parent_step",
  "events",
];

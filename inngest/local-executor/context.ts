import type { Logger } from "pino";
import type { Sql } from "./db";
import type { FunctionRegistry } from "./registry";

/** What every part of the executor shares: the pool, the function registry and its settings. */
export type ExecutorContext = {
  sql: Sql;
  registry: FunctionRegistry;
  logger: Logger;
  signingKey?: string;
  /** First retry delay; later ones double, with jitter. */
  retryBaseMs: number;
  callTimeoutMs: number;
  /** Tells this process's workers that new work is due now. */
  wake: () => void;
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
  concurrency_keys: string[];
  concurrency_limits: number[];
  priority: number;
  parent_run_id: string | null;
  parent_step: string | null;
};

export const RUN_COLUMNS = [
  "id",
  "function_id",
  "event",
  "status",
  "max_attempts",
  "disable_immediate",
  "step_count",
  "concurrency_keys",
  "concurrency_limits",
  "priority",
  "parent_run_id",
  "parent_step",
];

/**
 * Inngest's documented usage limits (inngest.com, "Usage limits"), enforced by the local executor so
 * that a function that runs here runs on Inngest Cloud or a self-hosted server unchanged.
 */
export type UsageLimits = {
  maxStepsPerRun: number;
  maxStepOutputBytes: number;
  maxRunStateBytes: number;
  maxEventBytes: number;
  maxStepDurationMs: number;
};

export const INNGEST_CLOUD_LIMITS: UsageLimits = {
  maxStepsPerRun: 1000,
  maxStepOutputBytes: 4 * 1024 * 1024,
  maxRunStateBytes: 32 * 1024 * 1024,
  maxEventBytes: 3 * 1024 * 1024,
  maxStepDurationMs: 2 * 3_600_000,
};

export const LIMIT_ERROR = "InngestLimitExceeded";

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(bytes < 1048576 ? 2 : 1)} MB`;

function limitError(limit: keyof UsageLimits, message: string): Record<string, unknown> {
  return { name: LIMIT_ERROR, limit, message };
}

/** The run's usage so far: memoized steps and bytes of state (event + step results; bigint may arrive as text). */
export type RunUsage = { step_count: number; state_bytes: number | string };

/** Whether memoizing one more step result of `bytes` would break a limit: the run's error, or null. */
export function stepLimitError(limits: UsageLimits, run: RunUsage, bytes: number, step: string | null | undefined): Record<string, unknown> | null {
  const name = step ? `step "${step}"` : "a step";
  const state = Number(run.state_bytes) + bytes;
  if (bytes > limits.maxStepOutputBytes) {
    return limitError("maxStepOutputBytes", `${name} returned ${mb(bytes)}, over the limit of ${mb(limits.maxStepOutputBytes)} per step result; return ids or a cursor instead of bulk data`);
  }
  if (run.step_count + 1 > limits.maxStepsPerRun) {
    return limitError("maxStepsPerRun", `the run reached the limit of ${limits.maxStepsPerRun} steps per run; continue long loops in a fresh run`);
  }
  if (state > limits.maxRunStateBytes) {
    return limitError("maxRunStateBytes", `the run's state (its event and step results) would reach ${mb(state)}, over the limit of ${mb(limits.maxRunStateBytes)}`);
  }
  return null;
}

/** An event the Event API refuses for its size, with the reason; null when it fits. */
export function eventSizeError(limits: UsageLimits, event: unknown): string | null {
  const bytes = Buffer.byteLength(JSON.stringify(event) ?? "");
  return bytes > limits.maxEventBytes ? `an event of ${mb(bytes)} is over the limit of ${mb(limits.maxEventBytes)} per event` : null;
}

export function stepDurationError(limits: UsageLimits): Record<string, unknown> {
  const hours = limits.maxStepDurationMs / 3_600_000;
  const span = hours >= 1 ? `${hours} h` : `${Math.round(limits.maxStepDurationMs / 1000)} s`;
  return limitError("maxStepDurationMs", `a step ran longer than the limit of ${span} per step; slice long work into bounded steps`);
}

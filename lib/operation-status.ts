/** Operation kinds and states; no imports, so client components can use them as well as the schema. */
export const OPERATION_TYPES = ["INDEX", "APPEND", "REINDEX", "ROLLBACK", "REMOVE_SOURCE", "BACKUP", "VERIFY_BACKUP", "RESTORE", "CLEAR", "SELF_TEST"] as const;
export const OPERATION_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "cancelled"] as const;

/** Statuses of an operation still under way. */
export const ACTIVE_OPERATION_STATUSES = ["queued", "running", "waiting"] as const;

export const isOperationActive = (status: string) => (ACTIVE_OPERATION_STATUSES as readonly string[]).includes(status);

/**
 * A success that left dead letters behind: `status` stays "succeeded" for the state machine, and
 * `result.outcome` says so, with `result.failedShare` (0..1) of the operation's documents dead.
 */
export const SUCCEEDED_WITH_FAILURES = "succeeded_with_failures";

/** What the status filter accepts: a status, or the succeeded-with-failures outcome ("succeeded" is then a clean one). */
export const OPERATION_STATUS_FILTERS = [...OPERATION_STATUSES, SUCCEEDED_WITH_FAILURES] as const;

/** 0.6 → "60 %"; never rounds a few dead documents to 0 % or most of them to 100 %. */
export function formatShare(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 1) return "<1 %";
  if (percent > 99 && percent < 100) return ">99 %";
  return `${Math.round(percent)} %`;
}

/** A REINDEX that an operator rejected, or that no one approved in time: `status` is "failed", `result.outcome` says which. */
export const REJECTED = "rejected";
export const APPROVAL_TIMED_OUT = "approval_timed_out";

type Outcome = { key: string; label: string; failedShare?: number };

/** The status an operator should read: "succeeded with failures (60 % dead)" rather than a plain "succeeded". */
export function operationOutcome(op: { status: string; result?: Record<string, unknown> | null }): Outcome {
  if (op.status === "succeeded" && op.result?.outcome === SUCCEEDED_WITH_FAILURES) {
    const share = typeof op.result.failedShare === "number" ? op.result.failedShare : undefined;
    return { key: SUCCEEDED_WITH_FAILURES, label: share === undefined ? "succeeded with failures" : `succeeded with failures (${formatShare(share)} dead)`, failedShare: share };
  }
  if (op.status === "failed" && op.result?.outcome === REJECTED) return { key: REJECTED, label: "rejected" };
  if (op.status === "failed" && op.result?.outcome === APPROVAL_TIMED_OUT) return { key: APPROVAL_TIMED_OUT, label: "not approved in time" };
  return { key: op.status, label: op.status };
}

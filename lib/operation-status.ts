/** Operation kinds and states; no imports, so client components can use them as well as the schema. */
export const OPERATION_TYPES = ["INDEX", "APPEND", "REINDEX", "REMOVE_SOURCE", "BACKUP", "RESTORE", "CLEAR", "SELF_TEST"] as const;
export const OPERATION_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "cancelled"] as const;

/** Statuses of an operation still under way. */
export const ACTIVE_OPERATION_STATUSES = ["queued", "running", "waiting"] as const;

export const isOperationActive = (status: string) => (ACTIVE_OPERATION_STATUSES as readonly string[]).includes(status);

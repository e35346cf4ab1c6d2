/** Statuses of an operation still under way; shared by server code and client components (no imports). */
export const ACTIVE_OPERATION_STATUSES = ["queued", "running", "waiting"] as const;

export const isOperationActive = (status: string) => (ACTIVE_OPERATION_STATUSES as readonly string[]).includes(status);

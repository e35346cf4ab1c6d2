import type { Logger } from "pino";
import { getLogger } from "@/lib/observability/logger";

/** An operation as function runs know it: its id and the correlation id of the request that started it. */
export type OperationRef = { operationId: string; correlationId?: string };

/** The pipeline's pino logger for one operation: every line carries its id and correlation id. */
export function operationLogger(ref: OperationRef): Logger {
  return getLogger().child({ operationId: ref.operationId, correlationId: ref.correlationId });
}

import { asc, eq } from "drizzle-orm";
import { getDb } from "../client";
import { auditLog } from "../schema/audit-log";

/** The audit rows a context wrote, oldest first. */
export function auditRowsOf(correlationId: string) {
  return getDb().select().from(auditLog).where(eq(auditLog.correlationId, correlationId)).orderBy(asc(auditLog.id));
}

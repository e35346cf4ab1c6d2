import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { operations } from "@/db/schema/operations";
import { ACTIVE_OPERATION_STATUSES, isOperationActive } from "@/lib/operation-status";

/** Operations that take the collection's turn: they write it, or (BACKUP) must read it whole while nothing writes. */
const MUTATING = ["INDEX", "APPEND", "REINDEX", "ROLLBACK", "REMOVE_SOURCE", "BACKUP", "RESTORE", "CLEAR"] as const;

/**
 * One mutating operation per collection at a time, in the order they were requested. Returns
 * whether this operation may run now; if not, it is marked waiting with the reason in words.
 */
export async function claimTurn(operationId: string): Promise<{ go: boolean; finished: boolean; collectionId?: string }> {
  const db = getDb();
  const [op] = await db.select().from(operations).where(eq(operations.id, operationId));
  if (!op || !isOperationActive(op.status)) return { go: false, finished: true };
  const ahead = op.collectionId
    ? await db
        .select({ id: operations.id, type: operations.type })
        .from(operations)
        .where(
          and(
            eq(operations.collectionId, op.collectionId),
            inArray(operations.type, MUTATING),
            // A cancelled one holds the turn until its clean-up has rolled it back (or, should that never run, for 2 minutes).
            sql`(${inArray(operations.status, ACTIVE_OPERATION_STATUSES)} or (${operations.status} = 'cancelled' and ${operations.result}->>'rolledBack' is null and ${operations.finishedAt} > now() - interval '2 minutes'))`,
            sql`(${operations.createdAt}, ${operations.id}) < (select o.created_at, o.id from operations o where o.id = ${op.id})`,
          ),
        )
        .orderBy(asc(operations.createdAt), asc(operations.id))
    : [];
  if (ahead.length === 0) {
    await db
      .update(operations)
      .set({ status: "running", statusMessage: null, startedAt: op.startedAt ?? new Date() })
      .where(and(eq(operations.id, operationId), inArray(operations.status, ACTIVE_OPERATION_STATUSES)));
    return { go: true, finished: false, collectionId: op.collectionId ?? undefined };
  }
  const first = ahead[0]!;
  const message = `Waiting for ${first.type} operation ${first.id.slice(0, 8)} to finish (${ahead.length} ahead in this collection's queue).`;
  await db.update(operations).set({ status: "waiting", statusMessage: message }).where(and(eq(operations.id, operationId), inArray(operations.status, ACTIVE_OPERATION_STATUSES)));
  return { go: false, finished: false, collectionId: op.collectionId ?? undefined };
}

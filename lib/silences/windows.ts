import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { maintenanceWindows } from "@/db/schema/silences";
import { ACTIVE_OPERATION_STATUSES } from "@/lib/operation-status";

/**
 * Opens the maintenance window of a risky operation (a reindex's switch, a replace-restore, a
 * clear) on its collection, once: a retried step finds it open. An operation already ended opens none.
 */
export async function openOperationWindow(operationId: string, what: string): Promise<{ windowId: string | null }> {
  const db = getDb();
  const [op] = await db
    .select({ id: operations.id, type: operations.type, status: operations.status, collectionId: operations.collectionId, collection: collections.name })
    .from(operations)
    .leftJoin(collections, eq(collections.id, operations.collectionId))
    .where(eq(operations.id, operationId));
  if (!op || !(ACTIVE_OPERATION_STATUSES as readonly string[]).includes(op.status)) return { windowId: null };
  await db
    .insert(maintenanceWindows)
    .values({ name: `${op.type} ${op.collection ?? ""}`.trim(), collectionId: op.collectionId, startsAt: new Date(), endsAt: null, operationId, comment: `Opened automatically ${what}; closes when the operation ends.` })
    .onConflictDoNothing({ target: maintenanceWindows.operationId });
  const [w] = await db.select({ id: maintenanceWindows.id }).from(maintenanceWindows).where(eq(maintenanceWindows.operationId, operationId));
  return { windowId: w?.id ?? null };
}

/** Closes the operation's window as it ends, in the transaction that ends it (every end calls endOpenCheckpoints). */
export async function closeOperationWindows(db: Executor, operationId: string): Promise<void> {
  await db
    .update(maintenanceWindows)
    .set({ closedAt: new Date() })
    .where(and(eq(maintenanceWindows.operationId, operationId), isNull(maintenanceWindows.closedAt)));
}

/** The sweeper's half: any automatic window whose operation is no longer under way is closed (a crash between its end and here cannot leave one open). */
export async function closeOrphanedWindows(now: Date = new Date()): Promise<number> {
  const closed = await getDb()
    .update(maintenanceWindows)
    .set({ closedAt: now })
    .where(
      and(
        isNotNull(maintenanceWindows.operationId),
        isNull(maintenanceWindows.closedAt),
        sql`not exists (select 1 from ${operations} o where o.id = ${maintenanceWindows.operationId} and o.status in ${sql.raw(`('${ACTIVE_OPERATION_STATUSES.join("','")}')`)})`,
      ),
    )
    .returning({ id: maintenanceWindows.id });
  return closed.length;
}


import fs from "node:fs/promises";
import { and, inArray, ne, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { operations } from "@/db/schema/operations";
import { dataPath, env } from "@/lib/env";
import { ACTIVE_OPERATION_STATUSES } from "@/lib/operation-status";

/** Free bytes where the embedded vector store writes; null when the vector store is not on this machine (Qdrant). */
export async function freeDiskBytes(): Promise<number | null> {
  if (env().VECTOR_STORE === "qdrant") return null;
  const dir = dataPath("lancedb");
  await fs.mkdir(dir, { recursive: true });
  const stats = await fs.statfs(dir);
  return stats.bavail * stats.bsize;
}

/** Disk held by operations under way (their `reserved_bytes`), except `exceptOperationId`. */
export async function reservedDiskBytes(db: Executor = getDb(), exceptOperationId?: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<string>`coalesce(sum(${operations.reservedBytes}), 0)` })
    .from(operations)
    .where(and(inArray(operations.status, ACTIVE_OPERATION_STATUSES), exceptOperationId ? ne(operations.id, exceptOperationId) : undefined));
  return Number(row?.n ?? 0);
}

export type DiskCheck = { needed: number; free: number | null; reserved: number; margin: number; ok: boolean; message: string | null };

const gb = (n: number) => `${(n / 1024 ** 3).toFixed(n < 10 * 1024 ** 3 ? 2 : 1)} GB`;

/**
 * Whether `needed` more bytes fit: free disk, less what operations under way have reserved, less
 * a margin (STEVEDORE_DISK_MARGIN_BYTES) kept free for PostgreSQL and the logs. The caller reserves
 * `needed` on its operation in the same transaction that inserts it, under the advisory lock
 * {@link lockDiskReservations} takes, so two operations cannot both pass on the same free space.
 */
export async function checkDisk(db: Executor, needed: number, exceptOperationId?: string): Promise<DiskCheck> {
  const free = await freeDiskBytes();
  const reserved = await reservedDiskBytes(db, exceptOperationId);
  const margin = env().STEVEDORE_DISK_MARGIN_BYTES;
  if (free === null) return { needed, free, reserved, margin, ok: true, message: null };
  const available = free - reserved - margin;
  if (needed <= available) return { needed, free, reserved, margin, ok: true, message: null };
  return {
    needed,
    free,
    reserved,
    margin,
    ok: false,
    message: `Not enough disk: this needs about ${gb(needed)}, and ${gb(Math.max(0, available))} is available (${gb(free)} free, ${gb(reserved)} reserved by operations under way, ${gb(margin)} kept free). Short by ${gb(needed - Math.max(0, available))}.`,
  };
}

/** Serializes disk checks with the reservations they lead to, until the transaction ends. */
export async function lockDiskReservations(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('stevedore.disk-reservations'))`);
}

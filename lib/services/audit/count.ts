import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog } from "@/db/schema/audit-log";
import { auditWhere, type AuditFilter } from "./list";

/** Counting is exact up to this many rows; beyond it a count would scan the whole (growing) log. */
export const EXACT_COUNT_LIMIT = 10_000;

/**
 * How many entries match: `exact` up to EXACT_COUNT_LIMIT; beyond it the planner's estimate of the
 * whole table (pg_class.reltuples) when unfiltered, and `at_least` the limit when filtered.
 */
export type AuditTotal = { value: number; kind: "exact" | "estimate" | "at_least" };

export async function countAuditEntries(filter: AuditFilter): Promise<AuditTotal> {
  const db = getDb();
  const where = auditWhere(filter);
  const capped = db.select({ one: sql`1` }).from(auditLog).where(where).limit(EXACT_COUNT_LIMIT + 1).as("capped");
  const [{ n } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  if (n <= EXACT_COUNT_LIMIT) return { value: n, kind: "exact" };
  if (where) return { value: EXACT_COUNT_LIMIT, kind: "at_least" };
  const [row] = await db.execute<{ estimate: number }>(sql`select reltuples::bigint::int as estimate from pg_class where oid = 'audit_log'::regclass`);
  return { value: Math.max(Number(row?.estimate ?? 0), n), kind: "estimate" };
}

import { and, asc, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { AUDIT_OUTCOMES, auditLog, type AuditEntry } from "@/db/schema/audit-log";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden, ServiceError } from "../errors";
import { CURSOR_MESSAGE, parseReadInput } from "../verb";
import { countAuditEntries, type AuditTotal } from "./count";

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

export const AuditFilter = z.object({
  actor: optional(z.string().trim().toLowerCase().max(320)),
  action: optional(z.string().trim().max(100)),
  targetType: optional(z.string().trim().max(100)),
  targetId: optional(z.string().trim().max(200)),
  outcome: optional(z.enum(AUDIT_OUTCOMES)),
  from: optional(z.coerce.date({ message: "Enter a valid start time." })),
  to: optional(z.coerce.date({ message: "Enter a valid end time." })),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

export type AuditRow = AuditEntry & { cursor: string };

/** Keyset cursor: the row's time in whole microseconds (exact, unlike a JS Date) and its id. */
const atMicros = sql<string>`(extract(epoch from ${auditLog.at}) * 1000000)::bigint::text`;

function decodeCursor(cursor: string, field: string): { micros: bigint; id: number } {
  const match = /^(\d{1,19})\.(\d{1,19})$/.exec(cursor);
  if (!match) throw new ServiceError("invalid", "Some fields are invalid.", { [field]: [CURSOR_MESSAGE] });
  return { micros: BigInt(match[1]!), id: Number(match[2]) };
}

/** The filter's conditions, and with a cursor only rows older than it (or newer, `direction: "newer"`). */
export function auditWhere(filter: AuditFilter, cursor?: string, direction: "older" | "newer" = "older"): SQL | undefined {
  const conditions: (SQL | undefined)[] = [
    filter.actor ? eq(auditLog.actorEmail, filter.actor) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.targetType ? eq(auditLog.targetType, filter.targetType) : undefined,
    filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
    filter.outcome ? eq(auditLog.outcome, filter.outcome) : undefined,
    filter.from ? gte(auditLog.at, filter.from) : undefined,
    filter.to ? lte(auditLog.at, filter.to) : undefined,
  ];
  if (cursor) {
    const { micros, id } = decodeCursor(cursor, direction === "older" ? "cursor" : "before");
    const at = sql`timestamptz 'epoch' + ${micros.toString()}::bigint * interval '1 microsecond'`;
    conditions.push(direction === "older" ? sql`(${auditLog.at}, ${auditLog.id}) < (${at}, ${id})` : sql`(${auditLog.at}, ${auditLog.id}) > (${at}, ${id})`);
  }
  return and(...conditions);
}

export async function fetchAuditPage(filter: AuditFilter, limit: number, cursor?: string): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
  const rows = await getDb()
    .select({ entry: auditLog, micros: atMicros })
    .from(auditLog)
    .where(auditWhere(filter, cursor))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map((r) => ({ ...r.entry, cursor: `${r.micros}.${r.entry.id}` }));
  return { rows: page, nextCursor: rows.length > limit ? page[page.length - 1]!.cursor : null };
}

/** The page just newer than `before`, newest first, and whether there are newer ones still. */
async function fetchNewerPage(filter: AuditFilter, limit: number, before: string): Promise<{ rows: AuditRow[]; hasNewer: boolean }> {
  const rows = await getDb()
    .select({ entry: auditLog, micros: atMicros })
    .from(auditLog)
    .where(auditWhere(filter, before, "newer"))
    .orderBy(asc(auditLog.at), asc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map((r) => ({ ...r.entry, cursor: `${r.micros}.${r.entry.id}` }));
  return { rows: page.reverse(), hasNewer: rows.length > limit };
}

async function pageOf(filter: AuditFilter, limit: number, cursor?: string, before?: string): Promise<Omit<AuditPage, "total">> {
  if (before) {
    const newer = await fetchNewerPage(filter, limit, before);
    // Back at the top with a short page: show the first page whole instead.
    if (newer.rows.length === limit) return { rows: newer.rows, nextCursor: newer.rows.at(-1)!.cursor, prevCursor: newer.hasNewer ? newer.rows[0]!.cursor : null };
  }
  const page = await fetchAuditPage(filter, limit, before ? undefined : cursor);
  return { ...page, prevCursor: cursor && !before ? (page.rows[0]?.cursor ?? null) : null };
}

export const ListAuditInput = AuditFilter.extend({
  /** Rows older than this one (the next page). */
  cursor: optional(z.string().max(60)),
  /** Rows newer than this one (the previous page). */
  before: optional(z.string().max(60)),
  limit: z.coerce.number().int().min(1).max(500).default(50),
}).refine((v) => !(v.cursor && v.before), { message: "Give cursor or before, not both.", path: ["before"] });

export type AuditPage = { rows: AuditRow[]; nextCursor: string | null; prevCursor: string | null; total: AuditTotal };

/**
 * One page of the audit log, newest first: keyset cursors to the older (`nextCursor`) and newer
 * (`prevCursor`, as `before`) pages, and how many entries match the filter (see countAuditEntries).
 */
export async function listAuditEntries({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<AuditPage> {
  if (!can(ctx.actor.role, "audit.read")) throw forbidden();
  const { cursor, before, limit, ...filter } = parseReadInput(ListAuditInput, input);
  const [page, total] = await Promise.all([pageOf(filter, limit, cursor, before), countAuditEntries(filter)]);
  return { ...page, total };
}

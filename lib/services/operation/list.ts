import { and, asc, desc, eq, gte, isNull, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, getSql } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { OPERATION_TYPES, operationMetrics, operations, operationSteps } from "@/db/schema/operations";
import { users } from "@/db/schema/users";
import { can } from "@/lib/auth/rbac";
import { APPROVAL_TIMED_OUT, OPERATION_STATUS_FILTERS, REJECTED, SUCCEEDED_WITH_FAILURES } from "@/lib/operation-status";
import type { ServiceContext } from "../context";
import { forbidden, notFound, ServiceError } from "../errors";
import { CURSOR_MESSAGE, parseReadInput } from "../verb";

const empty = (v: unknown) => (v === "" || v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(empty, schema.optional());

/** The outcomes a status alone does not tell (see lib/operation-status.ts). */
export const OPERATION_OUTCOME_FILTERS = [SUCCEEDED_WITH_FAILURES, REJECTED, APPROVAL_TIMED_OUT] as const;

/** What the job history, its total, its CSV export and its bulk actions are filtered by: one object for all four. */
export const OperationFilter = z.object({
  status: optional(z.enum(OPERATION_STATUS_FILTERS)),
  type: optional(z.enum(OPERATION_TYPES)),
  outcome: optional(z.enum(OPERATION_OUTCOME_FILTERS)),
  collectionId: optional(z.uuid({ message: "Not a collection id." })),
  /** The requester's e-mail, or "system" for operations no user requested. */
  actor: optional(z.string().trim().toLowerCase().max(320)),
  from: optional(z.coerce.date({ message: "Enter a valid start time." })),
  to: optional(z.coerce.date({ message: "Enter a valid end time." })),
  /** The start of an id, or part of the error text; three characters at least, so the trigram index can serve it. */
  q: optional(z.string().trim().min(3, { message: "Search for at least 3 characters." }).max(200)),
});
export type OperationFilter = z.infer<typeof OperationFilter>;
export const OPERATION_FILTER_KEYS = Object.keys(OperationFilter.shape) as (keyof OperationFilter)[];

export const ListOperationsInput = OperationFilter.extend({
  /** Older than this row (the next page). */
  cursor: optional(z.string().max(100)),
  /** Newer than this row (the previous page). */
  before: optional(z.string().max(100)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).refine((v) => !(v.cursor && v.before), { message: "Give cursor or before, not both.", path: ["before"] });

const withFailures = sql`${operations.result}->>'outcome' = ${SUCCEEDED_WITH_FAILURES}`;

/** "succeeded" finds clean successes only; "succeeded_with_failures" the successes that left dead letters. */
function statusFilter(status: (typeof OPERATION_STATUS_FILTERS)[number]): SQL | undefined {
  if (status === SUCCEEDED_WITH_FAILURES) return and(eq(operations.status, "succeeded"), withFailures);
  if (status === "succeeded") return and(eq(operations.status, "succeeded"), sql`not coalesce(${withFailures}, false)`);
  return eq(operations.status, status);
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
const asUuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/**
 * What a text search matches: operations whose id starts with it (a range of the primary key, when
 * it is the start of an id as written) or whose error contains it (the trigram index), any case.
 */
function textFilter(q: string): SQL {
  const inError = sql`${operations.error} ilike ${likePattern(q)}`;
  const hex = q.toLowerCase().replace(/-/g, "");
  if (!/^[0-9a-f]{1,32}$/.test(hex) || !asUuid(hex.padEnd(32, "0")).startsWith(q.toLowerCase())) return inError;
  const idStarts = sql`${operations.id} between ${asUuid(hex.padEnd(32, "0"))}::uuid and ${asUuid(hex.padEnd(32, "f"))}::uuid`;
  return sql`(${idStarts} or ${inError})`;
}

const NO_ONE = "00000000-0000-0000-0000-000000000000";

/**
 * The filter with its actor's e-mail replaced by the user's id (or an id no one has), before any
 * query: a literal id lets the planner use the column's statistics, where a subquery gets a guess.
 */
export async function resolveFilter(f: OperationFilter): Promise<OperationFilter> {
  if (!f.actor || f.actor === "system" || z.uuid().safeParse(f.actor).success) return f;
  const [user] = await getDb().select({ id: users.id }).from(users).where(eq(users.email, f.actor));
  return { ...f, actor: user?.id ?? NO_ONE };
}

/** After resolveFilter: "system" (no requester) or a user's id. */
const actorFilter = (actor: string): SQL => (actor === "system" ? isNull(operations.requestedBy) : eq(operations.requestedBy, actor));

/** The filter's conditions; resolveFilter first, so an actor is an id. */
export function operationConditions(f: OperationFilter): SQL[] {
  return [
    f.status ? statusFilter(f.status) : undefined,
    f.type ? eq(operations.type, f.type) : undefined,
    f.outcome ? sql`(${operations.result}->>'outcome') = ${f.outcome}` : undefined,
    f.collectionId ? eq(operations.collectionId, f.collectionId) : undefined,
    f.actor ? actorFilter(f.actor) : undefined,
    f.from ? gte(operations.createdAt, f.from) : undefined,
    f.to ? lt(operations.createdAt, f.to) : undefined,
    f.q ? textFilter(f.q) : undefined,
  ].filter((c): c is SQL => !!c);
}

const isFiltered = (f: OperationFilter) => OPERATION_FILTER_KEYS.some((k) => f[k] !== undefined);

/** Keyset cursor: the row's time in whole microseconds (a JS Date would drop them) and its id, opaque to clients. */
const createdMicros = sql<string>`(extract(epoch from ${operations.createdAt}) * 1000000)::bigint::text`;
type Cursor = { micros: string; id: string };
export const encodeCursor = (c: Cursor) => Buffer.from(`${c.micros}.${c.id}`).toString("base64url");

export function decodeCursor(value: string, field: string): Cursor {
  const match = /^(\d{1,19})\.([0-9a-f-]{36})$/.exec(Buffer.from(value, "base64url").toString("utf8"));
  if (!match || !z.uuid().safeParse(match[2]).success) throw new ServiceError("invalid", "Some fields are invalid.", { [field]: [CURSOR_MESSAGE] });
  return { micros: match[1]!, id: match[2]! };
}

function beyond(c: Cursor, direction: "older" | "newer"): SQL {
  const at = sql`(timestamptz 'epoch' + ${c.micros}::bigint * interval '1 microsecond')`;
  return direction === "older" ? sql`(${operations.createdAt}, ${operations.id}) < (${at}, ${c.id}::uuid)` : sql`(${operations.createdAt}, ${operations.id}) > (${at}, ${c.id}::uuid)`;
}

/** Up to `limit` rows of the filter, newest first, older than `cursor` (or newer, backwards): the page's and the export's reads. */
export async function operationsBeyond(f: OperationFilter, limit: number, cursor: Cursor | null, direction: "older" | "newer" = "older") {
  const rows = await getDb()
    .select({ operation: operations, requestedBy: users.email, collectionName: collections.name, micros: createdMicros })
    .from(operations)
    .leftJoin(users, eq(users.id, operations.requestedBy))
    .leftJoin(collections, eq(collections.id, operations.collectionId))
    .where(and(...operationConditions(f), cursor ? beyond(cursor, direction) : undefined))
    .orderBy(...(direction === "older" ? [desc(operations.createdAt), desc(operations.id)] : [asc(operations.createdAt), asc(operations.id)]))
    .limit(limit);
  return rows.map(({ micros, ...row }) => ({ ...row, cursor: encodeCursor({ micros, id: row.operation.id }) }));
}

/** Counting stops here; past it the planner's estimate is shown, marked as such. */
export const EXACT_OPERATIONS_UP_TO = 10_000;
/** A text search is counted exactly only this far: its count reads every match's row (a bitmap), not just the first ones. */
export const EXACT_TEXT_MATCHES_UP_TO = 1_000;
/** A filter the planner expects to match this many times the threshold is not counted at all. */
const SURELY_BEYOND = 4;
export type OperationTotal = { value: number; kind: "exact" | "estimate" };

async function plannedRows(where: SQL | undefined): Promise<number> {
  const query = getDb().select({ one: sql`1` }).from(operations).where(where).toSQL();
  const [plan] = (await getSql().unsafe(`explain (format json) ${query.sql}`, query.params as never[])) as unknown as Array<{ "QUERY PLAN": Array<{ Plan: { "Plan Rows": number } }> }>;
  return Math.round(plan?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? 0);
}

/**
 * How many operations match (of a filter passed through resolveFilter): exact up to
 * EXACT_OPERATIONS_UP_TO (EXACT_TEXT_MATCHES_UP_TO with a text search), a count of a capped subquery;
 * else an estimate: the table's reltuples when unfiltered, else EXPLAIN's row estimate. A filter the
 * planner puts SURELY_BEYOND times past the threshold is not counted at all.
 */
export async function countOperations(f: OperationFilter): Promise<OperationTotal> {
  const db = getDb();
  const where = and(...operationConditions(f));
  const upTo = f.q ? EXACT_TEXT_MATCHES_UP_TO : EXACT_OPERATIONS_UP_TO;
  const planned = isFiltered(f) ? await plannedRows(where) : null;
  if (planned !== null && planned > SURELY_BEYOND * upTo) return { value: planned, kind: "estimate" };
  const capped = db.select({ one: sql`1` }).from(operations).where(where).limit(upTo + 1).as("capped");
  const [{ n } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  if (n <= upTo) return { value: n, kind: "exact" };
  if (planned !== null) return { value: Math.max(planned, n), kind: "estimate" };
  const [row] = await db.execute<{ estimate: string }>(sql`select reltuples::bigint::text as estimate from pg_class where oid = 'operations'::regclass`);
  return { value: Math.max(Number(row?.estimate ?? 0), n), kind: "estimate" };
}

export type OperationPage = {
  rows: Awaited<ReturnType<typeof operationsBeyond>>;
  /** Pass as `cursor` for the next (older) page; null on the last. */
  nextCursor: string | null;
  /** Pass as `before` for the previous (newer) page; null on the first. */
  prevCursor: string | null;
  total: OperationTotal;
};

/**
 * The job history, newest first, a page at a time by keyset on (created_at, id): `cursor` goes to
 * older rows, `before` to newer ones, each a value a previous page handed out; with the total.
 */
export async function listOperations({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<OperationPage> {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  const { cursor, before, limit, ...given } = parseReadInput(ListOperationsInput, input ?? {});
  const f = await resolveFilter(given);
  const older = cursor ? decodeCursor(cursor, "cursor") : null;
  const newer = before ? decodeCursor(before, "before") : null;
  const [page, total] = await Promise.all([pageOf(f, limit, older, newer), countOperations(f)]);
  return { ...page, total };
}

async function pageOf(f: OperationFilter, limit: number, older: Cursor | null, newer: Cursor | null): Promise<Omit<OperationPage, "total">> {
  if (newer) {
    const rows = await operationsBeyond(f, limit + 1, newer, "newer");
    // Back at the top with a short page: show the first page whole instead.
    if (rows.length >= limit) {
      const page = rows.slice(0, limit).reverse();
      return { rows: page, nextCursor: page.at(-1)!.cursor, prevCursor: rows.length > limit ? page[0]!.cursor : null };
    }
  }
  const rows = await operationsBeyond(f, limit + 1, older);
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? page.at(-1)!.cursor : null, prevCursor: older && page.length ? page[0]!.cursor : null };
}

export async function getOperation({ ctx, input }: { ctx: ServiceContext; input: { operationId: string } }) {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  if (!z.uuid().safeParse(input.operationId).success) throw notFound("Operation");
  const db = getDb();
  const [row] = await db
    .select({ operation: operations, requestedBy: users.email, metrics: operationMetrics })
    .from(operations)
    .leftJoin(users, eq(users.id, operations.requestedBy))
    .leftJoin(operationMetrics, eq(operationMetrics.operationId, operations.id))
    .where(eq(operations.id, input.operationId));
  if (!row) throw notFound("Operation");
  // The log is paged on its own (`listOperationLogs`): a long one would weigh on every refresh.
  const steps = await db.select().from(operationSteps).where(eq(operationSteps.operationId, input.operationId)).orderBy(operationSteps.startedAt);
  return { ...row, steps };
}

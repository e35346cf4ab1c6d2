import { and, asc, desc, eq, gt, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { operationLogs, operations } from "@/db/schema/operations";
import { can } from "@/lib/auth/rbac";
import { getLogger } from "@/lib/observability/logger";
import type { ServiceContext } from "../context";
import { forbidden, notFound } from "../errors";
import { parseReadInput } from "../verb";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type OperationLogLevel = (typeof LOG_LEVELS)[number];
export const MAX_LOG_PAGE = 500;
const EXPORT_BATCH = 1000;

const Cursor = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The filter the viewer and the export share: the lowest level shown, and text in the message or fields. */
export const OperationLogFilter = z.object({
  level: z.enum(LOG_LEVELS).optional().describe("The lowest level shown (warn: warnings and errors)"),
  q: z.string().trim().max(200).optional().describe("Text in the message or the fields (case-insensitive)"),
});

export const OperationLogsInput = OperationLogFilter.extend({
  operationId: z.uuid(),
  before: Cursor.optional().describe("Lines older than this line id (load older)"),
  after: Cursor.optional().describe("Lines newer than this line id (the live tail)"),
  limit: z.coerce.number().int().min(1).max(MAX_LOG_PAGE).default(200),
}).refine((v) => v.before === undefined || v.after === undefined, { message: "Give `before` or `after`, not both.", path: ["before"] });

export type OperationLogLine = typeof operationLogs.$inferSelect;
/** `lines` oldest first. `more`: further lines exist in the page's direction (older without a cursor or with `before`, newer with `after`). */
export type OperationLogPage = { lines: OperationLogLine[]; more: boolean };

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;

function filterSql(operationId: string, filter: z.infer<typeof OperationLogFilter>): SQL {
  const conditions: SQL[] = [eq(operationLogs.operationId, operationId)];
  if (filter.level && filter.level !== "debug") conditions.push(inArray(operationLogs.level, LOG_LEVELS.slice(LOG_LEVELS.indexOf(filter.level))));
  if (filter.q) {
    const pattern = likePattern(filter.q);
    conditions.push(or(sql`${operationLogs.message} ilike ${pattern}`, sql`${operationLogs.fields}::text ilike ${pattern}`)!);
  }
  return and(...conditions)!;
}

async function requireOperation(ctx: ServiceContext, operationId: unknown): Promise<void> {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  if (!z.uuid().safeParse(operationId).success) throw notFound("Operation");
  const [op] = await getDb().select({ id: operations.id }).from(operations).where(eq(operations.id, operationId as string));
  if (!op) throw notFound("Operation");
}

/**
 * A page of an operation's log, in keyset pages on the line id: the newest lines (no cursor),
 * those before a line (load older) or after one (the live tail). A read: viewers may, nothing audited.
 */
export async function listOperationLogs({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<OperationLogPage> {
  await requireOperation(ctx, (input as { operationId?: unknown } | null)?.operationId);
  const { operationId, before, after, limit, ...filter } = parseReadInput(OperationLogsInput, input);
  const where = filterSql(operationId, filter);
  const db = getDb();
  if (after !== undefined) {
    const rows = await db.select().from(operationLogs).where(and(where, gt(operationLogs.id, after))).orderBy(asc(operationLogs.id)).limit(limit + 1);
    return { lines: rows.slice(0, limit), more: rows.length > limit };
  }
  const rows = await db
    .select()
    .from(operationLogs)
    .where(before !== undefined ? and(where, lt(operationLogs.id, before)) : where)
    .orderBy(desc(operationLogs.id))
    .limit(limit + 1);
  return { lines: rows.slice(0, limit).reverse(), more: rows.length > limit };
}

/** One NDJSON line of the export. */
export const operationLogNdjson = (line: OperationLogLine) => JSON.stringify({ id: line.id, at: line.at.toISOString(), level: line.level, message: line.message, fields: line.fields }) + "\n";

/**
 * The whole filtered log as NDJSON, oldest first, read EXPORT_BATCH lines at a time as the
 * client reads (pull), so memory stays flat however long the log.
 */
export async function exportOperationLogs({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<ReadableStream<Uint8Array>> {
  await requireOperation(ctx, (input as { operationId?: unknown } | null)?.operationId);
  const { operationId, ...filter } = parseReadInput(OperationLogFilter.extend({ operationId: z.uuid() }), input);
  const where = filterSql(operationId, filter);
  const encoder = new TextEncoder();
  let cursor = 0;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return controller.close();
      try {
        const rows = await getDb().select().from(operationLogs).where(and(where, gt(operationLogs.id, cursor))).orderBy(asc(operationLogs.id)).limit(EXPORT_BATCH);
        if (rows.length < EXPORT_BATCH) done = true;
        cursor = rows.at(-1)?.id ?? cursor;
        if (rows.length) controller.enqueue(encoder.encode(rows.map(operationLogNdjson).join("")));
        else controller.close();
      } catch (err) {
        getLogger().error({ err, correlationId: ctx.correlationId }, "operation log export failed");
        controller.error(new Error("export failed"));
      }
    },
  });
}

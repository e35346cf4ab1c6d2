import { and, asc, desc, eq, ilike, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, getSql } from "@/db/client";
import { DOCUMENT_STAGES, documents } from "@/db/schema/documents";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden, ServiceError } from "../errors";
import { CURSOR_MESSAGE, parseReadInput } from "../verb";

const empty = (v: unknown) => (v === "" ? undefined : v);

/** What a list, its total and its CSV export are filtered by. */
export const DocumentFilter = z.object({
  collectionId: z.uuid(),
  stage: z.preprocess(empty, z.enum(DOCUMENT_STAGES).optional()),
  sourceId: z.preprocess(empty, z.uuid().optional()),
  errorStage: z.preprocess(empty, z.string().max(50).optional()),
  errorClass: z.preprocess(empty, z.string().max(100).optional()),
  path: z.preprocess(empty, z.string().max(500).optional()),
});
export type DocumentFilter = z.infer<typeof DocumentFilter>;

// A cursor carries a path (base64 of up to 4 KB of it): room for long paths, still within a URL.
export const ListDocumentsInput = DocumentFilter.extend({
  after: z.preprocess(empty, z.string().max(8000).optional()),
  before: z.preprocess(empty, z.string().max(8000).optional()),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

type Cursor = { path: string; id: string };

/** Opaque to clients: (path, id), since two sources may hold the same path. */
export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.path, c.id])).toString("base64url");

function decodeCursor(value: string, field: "after" | "before"): Cursor {
  try {
    const [path, id] = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown[];
    if (typeof path === "string" && typeof id === "string" && z.uuid().safeParse(id).success) return { path, id };
  } catch {
    // falls through to the refusal
  }
  throw new ServiceError("invalid", "Some fields are invalid.", { [field]: [CURSOR_MESSAGE] });
}

export function requireRead(ctx: ServiceContext) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
}

export function filterConditions(f: DocumentFilter): SQL[] {
  return [
    eq(documents.collectionId, f.collectionId),
    f.stage ? eq(documents.stage, f.stage) : undefined,
    f.sourceId ? eq(documents.sourceId, f.sourceId) : undefined,
    f.errorStage ? eq(documents.errorStage, f.errorStage) : undefined,
    f.errorClass ? eq(documents.errorClass, f.errorClass) : undefined,
    f.path ? ilike(documents.path, `%${f.path.replace(/[\\%_]/g, (c) => "\\" + c)}%`) : undefined,
  ].filter((c): c is SQL => !!c);
}

const afterCursor = (c: Cursor) => sql`(${documents.path}, ${documents.id}) > (${c.path}, ${c.id}::uuid)`;
const beforeCursor = (c: Cursor) => sql`(${documents.path}, ${documents.id}) < (${c.path}, ${c.id}::uuid)`;

const ROW = {
  id: documents.id,
  path: documents.path,
  title: documents.title,
  stage: documents.stage,
  stageChangedAt: documents.stageChangedAt,
  chunkCount: documents.chunkCount,
  sizeBytes: documents.sizeBytes,
  attempts: documents.attempts,
  errorStage: documents.errorStage,
  errorClass: documents.errorClass,
  errorMessage: documents.errorMessage,
  duplicateOf: documents.duplicateOf,
  /** For a copy of a dead letter, what its original died of (see deadReasonOf). */
  originalErrorClass: sql<string | null>`(select o.error_class from documents o where o.id = "documents"."duplicate_of" and o.stage = 'dead')`,
  sourceId: documents.sourceId,
};

/** Up to `limit` rows after `after` in (path, id) order: the CSV export's batches. */
export function documentsAfter(f: DocumentFilter, after: Cursor | null, limit: number) {
  return getDb()
    .select(ROW)
    .from(documents)
    .where(and(...filterConditions(f), after ? afterCursor(after) : undefined))
    .orderBy(asc(documents.path), asc(documents.id))
    .limit(limit);
}

/** Counting stops here; past it the planner's estimate is shown, marked as such. */
export const EXACT_TOTAL_UP_TO = 10_000;

/** Exact up to EXACT_TOTAL_UP_TO, else the planner's row estimate (at least the cap + 1), so a huge list costs a bounded count. */
export async function countDocuments(f: DocumentFilter): Promise<{ count: number; exact: boolean }> {
  const db = getDb();
  const capped = db.select({ one: sql`1` }).from(documents).where(and(...filterConditions(f))).limit(EXACT_TOTAL_UP_TO + 1).as("capped");
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  const n = row?.n ?? 0;
  if (n <= EXACT_TOTAL_UP_TO) return { count: n, exact: true };
  const query = db.select({ one: sql`1` }).from(documents).where(and(...filterConditions(f))).toSQL();
  const [plan] = (await getSql().unsafe(`explain (format json) ${query.sql}`, query.params as never[])) as unknown as Array<{ "QUERY PLAN": Array<{ Plan: { "Plan Rows": number } }> }>;
  const estimate = Math.round(plan?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? 0);
  return { count: Math.max(estimate, EXACT_TOTAL_UP_TO + 1), exact: false };
}

/**
 * Documents of a collection by stage, source, error or path, in (path, id) order, a page at a time:
 * `after` goes forward, `before` back, each a cursor a previous page handed out; with the total.
 */
export async function listDocuments({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  requireRead(ctx);
  const f = parseReadInput(ListDocumentsInput, input);
  const after = f.after ? decodeCursor(f.after, "after") : null;
  const before = !after && f.before ? decodeCursor(f.before, "before") : null;
  const where = filterConditions(f);
  if (after) where.push(afterCursor(after));
  if (before) where.push(beforeCursor(before));
  const order = before ? [desc(documents.path), desc(documents.id)] : [asc(documents.path), asc(documents.id)];
  const [rows, total] = await Promise.all([
    getDb()
      .select(ROW)
      .from(documents)
      .where(and(...where))
      .orderBy(...order)
      .limit(f.limit + 1),
    countDocuments(f),
  ]);
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  if (before) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  // Backwards, "more" means more before; forwards, a cursor we came by means there is a page before.
  const hasPrevious = before ? more : !!after;
  const hasNext = before ? true : more;
  return {
    documents: page,
    nextAfter: hasNext && last ? encodeCursor(last) : null,
    prevBefore: hasPrevious && first ? encodeCursor(first) : null,
    total,
  };
}

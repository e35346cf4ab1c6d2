import { and, arrayContains, asc, desc, eq, gt, ilike, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { collectionVersions } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { DOCUMENT_STAGES, documentEvents, documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { sources } from "@/db/schema/sources";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden, notFound } from "../errors";
import { parseReadInput } from "../verb";

// Subqueries name the outer table's columns in full: drizzle renders ${collections.id} as a bare "id" here.
function requireRead(ctx: ServiceContext) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
}

const docStats = sql<{ documents: number; complete: number; dead: number; active: number; points: number }>`(
  select json_build_object(
    'documents', count(*),
    'complete', count(*) filter (where d.stage = 'complete'),
    'dead', count(*) filter (where d.stage = 'dead'),
    'active', count(*) filter (where d.stage not in ('complete', 'dead')),
    'points', coalesce(sum(d.chunk_count) filter (where d.stage = 'complete' and d.duplicate_of is null), 0))
  from documents d where d.collection_id = "collections"."id")`;

const lastOperation = sql<{ id: string; type: string; status: string; createdAt: string; result: Record<string, unknown> | null } | null>`(
  select json_build_object('id', o.id, 'type', o.type, 'status', o.status, 'createdAt', o.created_at, 'result', o.result)
  from operations o where o.collection_id = "collections"."id" order by o.created_at desc limit 1)`;

export async function listCollections({ ctx }: { ctx: ServiceContext }) {
  requireRead(ctx);
  return getDb().select({ collection: collections, stats: docStats, lastOperation }).from(collections).orderBy(asc(collections.name));
}

export async function getCollection({ ctx, input }: { ctx: ServiceContext; input: { collectionId: string } }) {
  requireRead(ctx);
  if (!z.uuid().safeParse(input.collectionId).success) throw notFound("Collection");
  const db = getDb();
  const [row] = await db.select({ collection: collections, stats: docStats, lastOperation }).from(collections).where(eq(collections.id, input.collectionId));
  if (!row) throw notFound("Collection");
  const [sourceRows, versions, recentOperations, stages] = await Promise.all([
    db
      .select({ source: sources, documents: sql<number>`(select count(*)::int from documents d where d.source_id = "sources"."id")` })
      .from(sources)
      .where(eq(sources.collectionId, input.collectionId))
      .orderBy(asc(sources.name)),
    db.select().from(collectionVersions).where(eq(collectionVersions.collectionId, input.collectionId)).orderBy(desc(collectionVersions.version)),
    db.select().from(operations).where(eq(operations.collectionId, input.collectionId)).orderBy(desc(operations.createdAt)).limit(20),
    db.select({ stage: documents.stage, n: sql<number>`count(*)::int` }).from(documents).where(eq(documents.collectionId, input.collectionId)).groupBy(documents.stage),
  ]);
  return { ...row, sources: sourceRows, versions, operations: recentOperations, stages };
}

const empty = (v: unknown) => (v === "" ? undefined : v);
export const ListDocumentsInput = z.object({
  collectionId: z.uuid(),
  stage: z.preprocess(empty, z.enum(DOCUMENT_STAGES).optional()),
  sourceId: z.preprocess(empty, z.uuid().optional()),
  errorStage: z.preprocess(empty, z.string().max(50).optional()),
  errorClass: z.preprocess(empty, z.string().max(100).optional()),
  path: z.preprocess(empty, z.string().max(500).optional()),
  after: z.preprocess(empty, z.string().max(1000).optional()),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Documents of a collection by stage, source, error or path, in path order with a keyset cursor. */
export async function listDocuments({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  requireRead(ctx);
  const f = parseReadInput(ListDocumentsInput, input);
  const where: (SQL | undefined)[] = [
    eq(documents.collectionId, f.collectionId),
    f.stage ? eq(documents.stage, f.stage) : undefined,
    f.sourceId ? eq(documents.sourceId, f.sourceId) : undefined,
    f.errorStage ? eq(documents.errorStage, f.errorStage) : undefined,
    f.errorClass ? eq(documents.errorClass, f.errorClass) : undefined,
    f.path ? ilike(documents.path, `%${f.path.replace(/[\\%_]/g, (c) => "\\" + c)}%`) : undefined,
    f.after ? gt(documents.path, f.after) : undefined,
  ];
  const rows = await getDb()
    .select({
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
      sourceId: documents.sourceId,
    })
    .from(documents)
    .where(and(...where))
    .orderBy(asc(documents.path), asc(documents.id))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit);
  return { documents: page, nextAfter: rows.length > f.limit ? page[page.length - 1]!.path : null };
}

/** The kinds of failure among a collection's dead documents, for the Dead letters filters. */
export async function deadLetterSummary({ ctx, input }: { ctx: ServiceContext; input: { collectionId: string } }) {
  requireRead(ctx);
  return getDb()
    .select({ errorStage: documents.errorStage, errorClass: documents.errorClass, n: sql<number>`count(*)::int` })
    .from(documents)
    .where(and(eq(documents.collectionId, input.collectionId), eq(documents.stage, "dead")))
    .groupBy(documents.errorStage, documents.errorClass)
    .orderBy(desc(sql`count(*)`));
}

export async function documentHistory({ ctx, input }: { ctx: ServiceContext; input: { documentId: string } }) {
  requireRead(ctx);
  return getDb()
    .select({ id: documentEvents.id, operationId: documentEvents.operationId, stage: documentEvents.stage, at: documentEvents.at, errorClass: documentEvents.errorClass, message: documentEvents.message })
    .from(documentEvents)
    .where(arrayContains(documentEvents.documentIds, [input.documentId]))
    .orderBy(asc(documentEvents.at), asc(documentEvents.id))
    .limit(500);
}

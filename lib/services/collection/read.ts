import { and, arrayContains, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { getDb } from "@/db/client";
import { collectionVersions } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { documentEvents, documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { sources } from "@/db/schema/sources";
import { can } from "@/lib/auth/rbac";
import { DUPLICATE_OF_DEAD } from "@/lib/pipeline/duplicates";
import type { ServiceContext } from "../context";
import { forbidden, notFound } from "../errors";

const original = alias(documents, "original");

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

export { listDocuments, ListDocumentsInput } from "./documents-list";

/** The kinds of failure among a collection's dead documents, for the Dead letters filters and breakdown. */
export async function deadLetterSummary({ ctx, input }: { ctx: ServiceContext; input: { collectionId: string } }) {
  requireRead(ctx);
  // Copies of dead letters are told apart by what their original died of: it decides whether a retry helps.
  return getDb()
    .select({ errorStage: documents.errorStage, errorClass: documents.errorClass, originalErrorClass: original.errorClass, n: sql<number>`count(*)::int` })
    .from(documents)
    .leftJoin(original, and(eq(original.id, documents.duplicateOf), eq(documents.errorClass, DUPLICATE_OF_DEAD), eq(original.stage, "dead")))
    .where(and(eq(documents.collectionId, input.collectionId), eq(documents.stage, "dead")))
    .groupBy(documents.errorStage, documents.errorClass, original.errorClass)
    .orderBy(desc(sql`count(*)`));
}

/**
 * A file's last extension in lower case (`.txt.gz` kept whole); null for none; dots in folder names
 * never count. A literal pattern, not a parameter: select and group by must be one expression.
 */
const extensionOf = sql<string | null>`lower(substring(${documents.path} from '(\\.[^./]+(\\.gz)?)$'))`;

/** Dead documents counted by file extension and error class: which kinds of file fail, and how. */
export async function deadLettersByExtension({ ctx, input }: { ctx: ServiceContext; input: { collectionId: string } }) {
  requireRead(ctx);
  const rows = await getDb()
    .select({ extension: extensionOf, errorClass: documents.errorClass, n: sql<number>`count(*)::int` })
    .from(documents)
    .where(and(eq(documents.collectionId, input.collectionId), eq(documents.stage, "dead")))
    .groupBy(extensionOf, documents.errorClass)
    .orderBy(desc(sql`count(*)`))
    .limit(500);
  const byExtension = new Map<string | null, { extension: string | null; n: number; classes: Array<{ errorClass: string | null; n: number }> }>();
  for (const r of rows) {
    const entry = byExtension.get(r.extension) ?? byExtension.set(r.extension, { extension: r.extension, n: 0, classes: [] }).get(r.extension)!;
    entry.n += r.n;
    entry.classes.push({ errorClass: r.errorClass, n: r.n });
  }
  return [...byExtension.values()].sort((a, b) => b.n - a.n || String(a.extension).localeCompare(String(b.extension)));
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

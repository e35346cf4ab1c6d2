import { and, asc, count, eq, inArray, or } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { goldenQueries } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { documents } from "@/db/schema/documents";
import { users } from "@/db/schema/users";
import { can } from "@/lib/auth/rbac";
import { emitAudit } from "../audit/emit";
import { searchCollection } from "../collection/search";
import { findCollection } from "../collection/find";
import type { ServiceContext } from "../context";
import { conflict, forbidden, notFound, ServiceError } from "../errors";
import { authorize, parseInput, parseReadInput, withTransaction } from "../verb";

/** Validation runs a collection's first 100 golden queries (lib/reindex/run.ts), so no more are taken. */
export const GOLDEN_QUERIES_PER_COLLECTION = 100;
export const MAX_EXPECTED_DOCUMENTS = 20;
/** As validation counts: the distinct documents of the best 4 × 10 chunks, the first 10 of them. */
const TOP_K = 10;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const Expected = z
  .array(z.string(), { message: "A list of document paths or ids." })
  // A path as the Documents tab shows it; "./a.md" is the same document as "a.md".
  .transform((entries) => [...new Set(entries.map((e) => e.trim().replace(/^\.\//, "")).filter(Boolean))])
  .refine((entries) => entries.length >= 1, { message: "Name at least one document the query should find." })
  .refine((entries) => entries.length <= MAX_EXPECTED_DOCUMENTS, { message: `At most ${MAX_EXPECTED_DOCUMENTS} expected documents.` })
  .refine((entries) => entries.every((e) => e.length <= 4096), { message: "A document path is at most 4,096 characters." });

export const CreateGoldenQueryInput = z.object({
  collectionId: z.uuid(),
  query: z.string().trim().min(1, { message: "Type the query an operator would search for." }).max(500, { message: "At most 500 characters." }),
  expected: Expected,
});

const CollectionInput = z.object({ collectionId: z.uuid() });
const QueryInput = z.object({ collectionId: z.uuid(), queryId: z.uuid({ message: "Unknown golden query." }) });

const listed = (items: string[]) => items.slice(0, 10).join(", ") + (items.length > 10 ? ` and ${items.length - 10} more` : "");

/**
 * The document ids of `entries` (ids or paths of this collection's documents), or field errors on
 * `expected` naming every entry that is not one, is ambiguous, or can never be found by a search.
 */
async function resolveExpected(tx: Tx, collectionId: string, entries: string[]): Promise<string[]> {
  const ids = entries.filter((e) => UUID.test(e)).map((e) => e.toLowerCase());
  const rows = await tx
    .select({ id: documents.id, path: documents.path, stage: documents.stage, duplicateOf: documents.duplicateOf })
    .from(documents)
    .where(and(eq(documents.collectionId, collectionId), or(inArray(documents.path, entries), ids.length ? inArray(documents.id, ids) : undefined)));
  const originals = rows.flatMap((r) => (r.duplicateOf ? [r.duplicateOf] : []));
  const originalPaths = new Map(
    originals.length ? (await tx.select({ id: documents.id, path: documents.path }).from(documents).where(inArray(documents.id, originals))).map((r) => [r.id, r.path]) : [],
  );
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  const unsearchable: string[] = [];
  const duplicates: string[] = [];
  const resolved: string[] = [];
  for (const entry of entries) {
    const byId = rows.filter((r) => r.id === entry.toLowerCase());
    const matches = byId.length ? byId : rows.filter((r) => r.path === entry);
    const [doc] = matches;
    if (!doc) unknown.push(entry);
    else if (matches.length > 1) ambiguous.push(entry);
    else if (doc.duplicateOf) duplicates.push(`${entry} (a copy of ${originalPaths.get(doc.duplicateOf) ?? doc.duplicateOf})`);
    else if (doc.stage !== "complete") unsearchable.push(`${entry} (${doc.stage})`);
    else if (!resolved.includes(doc.id)) resolved.push(doc.id);
  }
  const messages = [
    unknown.length && `Not in this collection: ${listed(unknown)}.`,
    ambiguous.length && `In more than one source, so give its document id: ${listed(ambiguous)}.`,
    unsearchable.length && `Not indexed, so no search finds it: ${listed(unsearchable)}.`,
    duplicates.length && `A duplicate has no points of its own; expect its original instead: ${listed(duplicates)}.`,
  ].filter((m): m is string => !!m);
  if (messages.length) throw new ServiceError("invalid", "Some fields are invalid.", { expected: messages });
  return resolved;
}

/** The paths of the given documents (null: no longer in the collection). */
async function pathsOf(ids: string[]): Promise<Map<string, { path: string; stage: string }>> {
  if (!ids.length) return new Map();
  const rows = await getDb().select({ id: documents.id, path: documents.path, stage: documents.stage }).from(documents).where(inArray(documents.id, ids));
  return new Map(rows.map((r) => [r.id, { path: r.path, stage: r.stage }]));
}

const expectedOf = (ids: string[], paths: Map<string, { path: string; stage: string }>) => ids.map((documentId) => ({ documentId, path: paths.get(documentId)?.path ?? null, stage: paths.get(documentId)?.stage ?? null }));

/** A collection's golden queries, oldest first, each with its expected documents' paths. */
export async function listGoldenQueries({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  const { collectionId } = parseReadInput(CollectionInput, input);
  await findCollection(collectionId);
  const rows = await getDb()
    .select({ query: goldenQueries, createdBy: users.email })
    .from(goldenQueries)
    .leftJoin(users, eq(users.id, goldenQueries.createdBy))
    .where(eq(goldenQueries.collectionId, collectionId))
    .orderBy(asc(goldenQueries.createdAt), asc(goldenQueries.id))
    .limit(GOLDEN_QUERIES_PER_COLLECTION);
  const paths = await pathsOf([...new Set(rows.flatMap((r) => r.query.expectedDocumentIds))]);
  return rows.map(({ query, createdBy }) => ({ id: query.id, query: query.query, createdAt: query.createdAt, createdBy, expected: expectedOf(query.expectedDocumentIds, paths) }));
}

/**
 * A query every later reindex must still answer with the expected documents (ids or paths of
 * this collection's documents, resolved to ids). Operators; audited `golden_query.create`.
 */
export async function createGoldenQuery({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "golden_query.manage", "golden_query.create", input);
  const data = await parseInput(ctx, "golden_query.create", CreateGoldenQueryInput, input);
  return withTransaction(ctx, "golden_query.create", async (tx) => {
    // The collection's row, held: two creates cannot both pass the count and the duplicate check.
    const [collection] = await tx.select().from(collections).where(eq(collections.id, data.collectionId)).for("update");
    if (!collection) throw notFound("Collection");
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(goldenQueries).where(eq(goldenQueries.collectionId, collection.id));
    if (n >= GOLDEN_QUERIES_PER_COLLECTION) throw conflict(`This collection has ${n} golden queries, the most a validation runs: delete one first.`);
    const [same] = await tx.select({ id: goldenQueries.id }).from(goldenQueries).where(and(eq(goldenQueries.collectionId, collection.id), eq(goldenQueries.query, data.query)));
    if (same) throw new ServiceError("invalid", "Some fields are invalid.", { query: ["This collection already has this golden query."] });
    const expected = await resolveExpected(tx, collection.id, data.expected);
    const [row] = await tx.insert(goldenQueries).values({ collectionId: collection.id, query: data.query, expectedDocumentIds: expected, createdBy: ctx.actor.id }).returning();
    await emitAudit(tx, ctx, { action: "golden_query.create", target: { type: "golden_query", id: row!.id }, params: { collection: collection.name, collectionId: collection.id, query: data.query.slice(0, 200), expectedDocumentIds: expected } });
    return { id: row!.id, query: row!.query, createdAt: row!.createdAt, expected: expected.map((documentId) => ({ documentId })) };
  });
}

export async function deleteGoldenQuery({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "golden_query.manage", "golden_query.delete", input);
  const data = await parseInput(ctx, "golden_query.delete", QueryInput, input);
  return withTransaction(ctx, "golden_query.delete", async (tx) => {
    const collection = await findCollection(data.collectionId, tx);
    const [row] = await tx.delete(goldenQueries).where(and(eq(goldenQueries.id, data.queryId), eq(goldenQueries.collectionId, collection.id))).returning();
    if (!row) throw notFound("Golden query");
    await emitAudit(tx, ctx, { action: "golden_query.delete", target: { type: "golden_query", id: row.id }, params: { collection: collection.name, collectionId: collection.id, query: row.query.slice(0, 200), expectedDocumentIds: row.expectedDocumentIds } });
    return { deleted: row.id };
  });
}

/**
 * "Try it": the golden query against the live version, counted as validation counts it (the
 * distinct documents of the top chunks, the first 10), and which expected documents are among them.
 */
export async function tryGoldenQuery({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  const { collectionId, queryId } = parseReadInput(QueryInput, input);
  const [golden] = await getDb()
    .select()
    .from(goldenQueries)
    .where(and(eq(goldenQueries.id, queryId), eq(goldenQueries.collectionId, collectionId)));
  if (!golden) throw notFound("Golden query");
  const { hits, tookMs } = await searchCollection({ ctx, input: { collectionId, query: golden.query, limit: TOP_K * 4 } });
  const top: { rank: number; documentId: string; path: string; score: number }[] = [];
  for (const hit of hits) {
    if (!hit.documentId || top.some((t) => t.documentId === hit.documentId)) continue;
    top.push({ rank: top.length + 1, documentId: hit.documentId, path: hit.path, score: hit.score });
    if (top.length === TOP_K) break;
  }
  const paths = await pathsOf(golden.expectedDocumentIds);
  const expected = expectedOf(golden.expectedDocumentIds, paths).map((e) => ({ ...e, rank: top.find((t) => t.documentId === e.documentId)?.rank ?? null }));
  const found = expected.filter((e) => e.rank !== null).length;
  return { queryId, query: golden.query, k: TOP_K, tookMs, top, expected, found, recall: expected.length ? Math.round((found / expected.length) * 1000) / 1000 : null };
}

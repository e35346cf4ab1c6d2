import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { aliasChanges, goldenQueries } from "@/db/schema/collection-versions";
import type { Collection } from "@/db/schema/collections";
import { documents } from "@/db/schema/documents";
import { sources, type Source } from "@/db/schema/sources";
import { getVectorStore } from "@/lib/vector";
import type { PointFilter } from "@/lib/vector/types";
import type { BackupManifestInput } from "./schema";

/** What a backup covers: every source, or only the named ones (unknown names are refused by the verb). */
export async function coveredSources(collectionId: string, names: string[] | null): Promise<Source[]> {
  const all = await getDb().select().from(sources).where(eq(sources.collectionId, collectionId)).orderBy(asc(sources.name));
  return names ? all.filter((s) => names.includes(s.name)) : all;
}

/** The point filter of a backup of some sources; none when it covers them all. */
export const pointFilterOf = (covered: Source[], names: string[] | null): PointFilter | undefined => (names ? { source_id: covered.map((s) => s.id) } : undefined);

/**
 * The manifest of a backup of `collection`: its config, aliases and their history, the covered
 * sources with their stored documents, the golden queries, and the counts the points will have.
 */
export async function buildManifest(
  collection: Collection,
  opts: { kind: "full" | "schema"; vectors: boolean; sourceFilter: string[] | null; note: string; createdBy: string | null; points: number },
): Promise<BackupManifestInput> {
  const db = getDb();
  const covered = await coveredSources(collection.id, opts.sourceFilter);
  const docs = covered.length
    ? await db
        .select({ id: documents.id, sourceId: documents.sourceId, path: documents.path, contentHash: documents.contentHash, sizeBytes: documents.sizeBytes, chunkCount: documents.chunkCount, title: documents.title, mimeType: documents.mimeType })
        .from(documents)
        .where(and(inArray(documents.sourceId, covered.map((s) => s.id)), eq(documents.stage, "complete"), isNull(documents.duplicateOf)))
        .orderBy(asc(documents.id))
    : [];
  const history = await db.select().from(aliasChanges).where(eq(aliasChanges.collectionId, collection.id)).orderBy(asc(aliasChanges.at));
  const golden = await db.select().from(goldenQueries).where(eq(goldenQueries.collectionId, collection.id));
  const aliases = (await (await getVectorStore()).listAliases()).filter((a) => a.alias === collection.name).map((a) => ({ alias: a.alias, target: a.collection }));
  return {
    kind: opts.kind,
    createdAt: new Date().toISOString(),
    createdBy: opts.createdBy,
    note: opts.note,
    collection: {
      name: collection.name,
      description: collection.description,
      embeddingModel: collection.embeddingModel,
      dimension: collection.dimension,
      distance: collection.distance,
      chunkSize: collection.chunkSize,
      chunkOverlap: collection.chunkOverlap,
      reindexPolicy: collection.reindexPolicy,
      activeVersion: collection.activeVersion,
    },
    aliases,
    aliasHistory: history.map((h) => ({ at: h.at.toISOString(), actorLabel: h.actorLabel, fromVersion: h.fromVersion, toVersion: h.toVersion, reason: h.reason, operationId: h.operationId })),
    sourceFilter: opts.sourceFilter,
    sources: covered.map((s) => ({ id: s.id, name: s.name, kind: s.kind, path: s.path })),
    documents: docs.map((d) => ({ ...d, title: d.title ?? null, mimeType: d.mimeType ?? null })),
    goldenQueries: golden.map((g) => ({ query: g.query, expectedDocumentIds: g.expectedDocumentIds })),
    counts: { points: opts.kind === "schema" ? 0 : opts.points, documents: docs.length, sources: covered.length },
    vectors: { included: opts.kind === "full" && opts.vectors, unitLength: opts.kind === "full" && opts.vectors && collection.distance === "cosine" ? true : null },
  };
}

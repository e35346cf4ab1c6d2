import nodePath from "node:path";
import { and, eq, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { sources } from "@/db/schema/sources";
import { sourceIndexRequested } from "@/inngest/events";
import { env } from "@/lib/env";
import { refuseBeyondLimits } from "@/lib/resources/check";
import { footprintOf, measureFolder, type SourceSize } from "@/lib/resources/footprint";
import { realSourceRoot, resolveSourceDirectory } from "@/lib/sources/resolve";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, notFound } from "../errors";
import { startOperation } from "../operation/start";
import { authorize, parseInput } from "../verb";
import { DirectorySource } from "./schemas";
import { findCollection } from "./find";

export const AppendInput = z.union([
  z.object({ collectionId: z.uuid(), sourceId: z.uuid() }),
  z.object({ collectionId: z.uuid(), source: DirectorySource }),
]);

/** Why a new folder would index files a folder source of the collection already indexes, if it would. */
function folderOverlap(folder: string, existing: { name: string; path: string }[]): string | null {
  const within = (child: string, parent: string) => {
    const rel = nodePath.relative(parent, child);
    return rel !== ".." && !rel.startsWith(`..${nodePath.sep}`) && !nodePath.isAbsolute(rel);
  };
  for (const source of existing) {
    if (folder === source.path) return `This folder is already a source of this collection (“${source.name}”).`;
    if (within(folder, source.path)) return `This folder is inside “${source.name}”, already a source of this collection.`;
    if (within(source.path, folder)) return `This folder contains “${source.name}”, already a source of this collection.`;
  }
  return null;
}

/**
 * A re-scan's new text: the source's folder as it is now, less what its documents already hold
 * (unchanged files are skipped). Files changed in place at the same size go uncounted: an estimate.
 * An unknown source is left to the transaction to refuse.
 */
async function measureRescan(collectionId: string, sourceId: string): Promise<SourceSize> {
  const db = getDb();
  const [source] = await db.select().from(sources).where(and(eq(sources.id, sourceId), eq(sources.collectionId, collectionId)));
  const root = source ? await realSourceRoot(source).catch(() => null) : null;
  // A source that is gone or now outside the roots is the scan's to report, as it always was.
  if (!source || !root) return { files: 0, textBytes: 0, complete: true };
  const size = await measureFolder(root);
  const [held] = await db
    .select({ files: sql<number>`count(*)::int`, bytes: sql<string>`coalesce(sum(${documents.sizeBytes}), 0)` })
    .from(documents)
    .where(and(eq(documents.sourceId, source.id), lte(documents.sizeBytes, env().STEVEDORE_MAX_FILE_BYTES)));
  return { files: Math.max(0, size.files - (held?.files ?? 0)), textBytes: Math.max(0, size.textBytes - Number(held?.bytes ?? 0)), complete: size.complete };
}

/**
 * APPEND: index a new directory source, or re-scan an existing source for new and changed files
 * (unchanged files are skipped by content hash).
 */
export async function appendSource({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "operation.start", input);
  const data = await parseInput(ctx, "operation.start", AppendInput, input);
  const path = "source" in data ? await resolveSourceDirectory(data.source.path) : null;
  const size = "source" in data ? await measureFolder(path!) : await measureRescan(data.collectionId, data.sourceId);
  const operation = await startOperation(ctx, {
    type: "APPEND",
    collectionId: data.collectionId,
    event: { name: sourceIndexRequested.name },
    inTransaction: async (tx) => {
      const collection = await findCollection(data.collectionId, tx);
      // Once the source is known good: the limits, then what the operation carries.
      const withinLimits = async (source: { id: string; name: string }) => {
        const footprint = footprintOf(size, collection);
        await refuseBeyondLimits(tx, ctx.actor, {
          points: { collection, name: collection.name, add: footprint.points, advice: "Index fewer files, or ask an admin to raise the limit." },
          diskBytes: footprint.diskBytes,
        });
        return { params: { sourceId: source.id, source: source.name, collection: collection.name, footprint: { ...size, ...footprint } }, reservedBytes: footprint.diskBytes };
      };
      if ("sourceId" in data) {
        const [source] = await tx.select().from(sources).where(and(eq(sources.id, data.sourceId), eq(sources.collectionId, collection.id)));
        if (!source) throw notFound("Source");
        return withinLimits(source);
      }
      const folders = await tx.select({ name: sources.name, path: sources.path }).from(sources).where(and(eq(sources.collectionId, collection.id), eq(sources.kind, "directory")));
      const overlap = folderOverlap(path!, folders);
      if (overlap) throw conflict(overlap, { "source.path": [overlap] });
      const [source] = await tx
        .insert(sources)
        .values({ collectionId: collection.id, name: data.source.name, kind: "directory", path: path! })
        .onConflictDoNothing()
        .returning();
      if (!source) throw conflict("This collection already has a source with that name.", { "source.name": ["This collection already has a source with that name."] });
      await emitAudit(tx, ctx, { action: "source.add", target: { type: "source", id: source.id }, params: { collection: collection.name, name: source.name, path } });
      return withinLimits(source);
    },
  });
  return { operationId: operation.id };
}

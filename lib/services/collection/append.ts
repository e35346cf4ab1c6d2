import nodePath from "node:path";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { sources } from "@/db/schema/sources";
import { sourceIndexRequested } from "@/inngest/events";
import { resolveSourceDirectory } from "@/lib/sources/resolve";
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
 * APPEND: index a new directory source, or re-scan an existing source for new and changed files
 * (unchanged files are skipped by content hash).
 */
export async function appendSource({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "operation.start", input);
  const data = await parseInput(ctx, "operation.start", AppendInput, input);
  const path = "source" in data ? await resolveSourceDirectory(data.source.path) : null;
  const operation = await startOperation(ctx, {
    type: "APPEND",
    collectionId: data.collectionId,
    event: { name: sourceIndexRequested.name },
    inTransaction: async (tx) => {
      const collection = await findCollection(data.collectionId, tx);
      if ("sourceId" in data) {
        const [source] = await tx.select().from(sources).where(and(eq(sources.id, data.sourceId), eq(sources.collectionId, collection.id)));
        if (!source) throw notFound("Source");
        return { params: { sourceId: source.id, source: source.name, collection: collection.name } };
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
      return { params: { sourceId: source.id, source: source.name, collection: collection.name } };
    },
  });
  return { operationId: operation.id };
}

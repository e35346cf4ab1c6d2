import { randomUUID } from "node:crypto";
import { z } from "zod";
import { collections } from "@/db/schema/collections";
import { sources } from "@/db/schema/sources";
import { sourceIndexRequested } from "@/inngest/events";
import { getEmbedder } from "@/lib/embeddings";
import { dataPath, env } from "@/lib/env";
import { refuseBeyondLimits } from "@/lib/resources/check";
import { footprintOf, measureFiles, measureFolder } from "@/lib/resources/footprint";
import { resolveSourceDirectory } from "@/lib/sources/resolve";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, ServiceError } from "../errors";
import { startOperation } from "../operation/start";
import { authorize, parseInput, withTransaction } from "../verb";
import { ChunkSettings, CollectionName, DirectorySource, EmbeddingModel, UploadSource } from "./schemas";
import { acceptUploads, withStagedUploads, type StagedFile } from "./upload";
import { vectorLayoutFromForm, VectorLayoutInput } from "./vector-layout";

export const CreateCollectionInput = z
  .object({
    name: CollectionName,
    description: z.string().trim().max(500).default(""),
    embeddingModel: EmbeddingModel.default("builtin-hash"),
    source: z.discriminatedUnion("kind", [DirectorySource, UploadSource]),
    vectorLayout: VectorLayoutInput,
  })
  .and(ChunkSettings);

/** A flat form (the New collection form, or the API's multipart body) as createCollection's input; an empty field means its default. */
export function createInputFromForm(f: Record<string, unknown>, source: { kind: "directory" | "upload"; [field: string]: unknown }) {
  const optional = (value: unknown) => (value === "" || value === undefined ? undefined : value);
  return { name: f.name, description: optional(f.description), embeddingModel: optional(f.embeddingModel), chunkSize: optional(f.chunkSize), chunkOverlap: optional(f.chunkOverlap), source, vectorLayout: vectorLayoutFromForm(f) };
}

/**
 * The checks the API makes before it reads an upload's body, so a refused request costs no bytes:
 * the role, and the quotas that do not depend on the files (operations under way, collections).
 */
export async function authorizeCreateCollection(ctx: ServiceContext) {
  await authorize(ctx, "operation.start", "collection.create");
  await withTransaction(ctx, "collection.create", (tx) => refuseBeyondLimits(tx, ctx.actor, { operations: true, collections: true }));
}

/**
 * INDEX: creates the collection with its first source (a server folder, or files uploaded with
 * the request) and starts indexing it. The collection, source, operation and audit entries commit
 * together; the work starts after commit. Uploaded files that cannot be stored are refused one by
 * one with a reason, and the rest go ahead. `files` were staged on disk by the caller, who removes
 * what was not moved.
 */
export async function createCollection({ ctx, input, files = [] }: { ctx: ServiceContext; input: unknown; files?: StagedFile[] }) {
  await authorize(ctx, "operation.start", "collection.create");
  const data = await parseInput(ctx, "collection.create", CreateCollectionInput, input);
  const folder = data.source.kind === "directory" ? await resolveSourceDirectory(data.source.path) : null;
  const uploads = data.source.kind === "upload" ? acceptUploads(files) : null;
  let dimension: number;
  try {
    dimension = getEmbedder(data.embeddingModel).dimension;
  } catch (err) {
    throw new ServiceError("invalid", "That embedding model is not available.", { embeddingModel: [err instanceof Error ? err.message : "Not available."] });
  }
  const size = folder ? await measureFolder(folder) : measureFiles([...uploads!.accepted].map(([name, file]) => ({ name, bytes: file.bytes })));
  const footprint = footprintOf(size, { dimension, chunkSize: data.chunkSize, chunkOverlap: data.chunkOverlap });
  const sourceId = randomUUID();
  const sourcePath = folder ?? dataPath("uploads", sourceId);
  let collectionId = "";
  const start = (moveInto?: (folder: string) => Promise<void>) =>
    startOperation(ctx, {
      action: "collection.create",
      type: "INDEX",
      event: { name: sourceIndexRequested.name },
      params: { collection: data.name, source: data.source.name, path: sourcePath },
      inTransaction: async (tx) => {
        const [collection] = await tx
          .insert(collections)
          .values({ name: data.name, description: data.description, embeddingModel: data.embeddingModel, dimension, chunkSize: data.chunkSize, chunkOverlap: data.chunkOverlap, vectorBackend: env().VECTOR_STORE, vectorLayout: data.vectorLayout, createdBy: ctx.actor.id })
          .onConflictDoNothing({ target: collections.name })
          .returning();
        if (!collection) throw conflict("A collection with this name already exists.", { name: ["A collection with this name already exists."] });
        await tx.insert(sources).values({ id: sourceId, collectionId: collection.id, name: data.source.name, kind: data.source.kind, path: sourcePath });
        // After the name is known free, before any file moves; a refusal takes the rows back with it.
        await refuseBeyondLimits(tx, ctx.actor, {
          collections: { except: collection.id },
          points: { collection: null, name: data.name, add: footprint.points, advice: "Index fewer files or choose a larger chunk size, or ask an admin to raise the limit." },
          diskBytes: footprint.diskBytes,
        });
        if (moveInto) await moveInto(sourcePath);
        collectionId = collection.id;
        const uploaded = uploads ? { files: [...uploads.accepted.keys()], refused: uploads.refused } : {};
        await emitAudit(tx, ctx, { action: "collection.create", target: { type: "collection", id: collection.id }, params: { name: data.name, embeddingModel: data.embeddingModel, dimension, source: folder ?? "upload", vectorLayout: data.vectorLayout, ...uploaded } });
        return { collectionId: collection.id, params: { sourceId, footprint: { ...size, ...footprint } }, reservedBytes: footprint.diskBytes };
      },
    });
  const operation = uploads ? await withStagedUploads(uploads.accepted, start) : await start();
  return { collectionId, operationId: operation.id, refused: uploads?.refused ?? [] };
}

import { z } from "zod";
import { collections } from "@/db/schema/collections";
import { sources } from "@/db/schema/sources";
import { sourceIndexRequested } from "@/inngest/events";
import { getEmbedder } from "@/lib/embeddings";
import { env } from "@/lib/env";
import { resolveSourceDirectory } from "@/lib/sources/resolve";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, ServiceError } from "../errors";
import { startOperation } from "../operation/start";
import { authorize, parseInput } from "../verb";
import { ChunkSettings, CollectionName, DirectorySource, EmbeddingModel } from "./schemas";

export const CreateCollectionInput = z
  .object({
    name: CollectionName,
    description: z.string().trim().max(500).default(""),
    embeddingModel: EmbeddingModel.default("builtin-hash"),
    source: DirectorySource,
  })
  .and(ChunkSettings);

/**
 * INDEX: creates the collection with its first source and starts indexing it. The collection,
 * source, operation and audit entries commit together; the work starts after commit.
 */
export async function createCollection({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "collection.create");
  const data = await parseInput(ctx, "collection.create", CreateCollectionInput, input);
  const path = await resolveSourceDirectory(data.source.path);
  let dimension: number;
  try {
    dimension = getEmbedder(data.embeddingModel).dimension;
  } catch (err) {
    throw new ServiceError("invalid", "That embedding model is not available.", { embeddingModel: [err instanceof Error ? err.message : "Not available."] });
  }
  let collectionId = "";
  const operation = await startOperation(ctx, {
    action: "collection.create",
    type: "INDEX",
    event: { name: sourceIndexRequested.name },
    params: { collection: data.name, source: data.source.name, path },
    inTransaction: async (tx) => {
      const [collection] = await tx
        .insert(collections)
        .values({ name: data.name, description: data.description, embeddingModel: data.embeddingModel, dimension, chunkSize: data.chunkSize, chunkOverlap: data.chunkOverlap, vectorBackend: env().VECTOR_STORE, createdBy: ctx.actor.id })
        .onConflictDoNothing({ target: collections.name })
        .returning();
      if (!collection) throw conflict("A collection with this name already exists.", { name: ["A collection with this name already exists."] });
      const [source] = await tx.insert(sources).values({ collectionId: collection.id, name: data.source.name, kind: "directory", path }).returning();
      collectionId = collection.id;
      await emitAudit(tx, ctx, { action: "collection.create", target: { type: "collection", id: collection.id }, params: { name: data.name, embeddingModel: data.embeddingModel, dimension, source: path } });
      return { collectionId: collection.id, params: { sourceId: source!.id } };
    },
  });
  return { collectionId, operationId: operation.id };
}

import { z } from "zod";
import { getEmbedder } from "@/lib/embeddings";
import { EmbedderError } from "@/lib/embeddings/types";
import { can } from "@/lib/auth/rbac";
import { getVectorStore } from "@/lib/vector";
import type { ScoredPoint } from "@/lib/vector/types";
import type { ServiceContext } from "../context";
import { forbidden, ServiceError } from "../errors";
import { parseReadInput } from "../verb";
import { findCollection } from "./find";
import { activeVersionOf } from "@/lib/reindex/versions";
import { getLogger } from "@/lib/observability/logger";

export const SearchInput = z.object({
  collectionId: z.uuid(),
  query: z.string().trim().min(1, { message: "Type something to search for." }).max(2000),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/**
 * The user sees our classification and a reference; the upstream's own words (hosts, paths, keys,
 * provider messages) go only to the log, under that reference (the request's correlation id).
 */
function classified(ctx: ServiceContext, err: unknown, stage: string, message: string): ServiceError {
  getLogger().warn({ err, correlationId: ctx.correlationId, stage }, "search failed");
  return new ServiceError("unavailable", `${message} (reference ${ctx.correlationId})`);
}

/** The search playground and API: the query embedded as the live version was, top-k chunks from it. */
export async function searchCollection({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  const { collectionId, query, limit } = parseReadInput(SearchInput, input);
  // The live version and its settings in one read: during a reindex's switch a search gets the old
  // version or the new, each with the embedder its points were made with, and both exist throughout.
  const version = await activeVersionOf(collectionId);
  if (!version) {
    await findCollection(collectionId); // "not found" for a collection that does not exist
    throw new ServiceError("conflict", "This collection has no data yet.");
  }
  let vector: Float32Array;
  try {
    [vector] = (await getEmbedder(version.embeddingModel).embed([query])) as [Float32Array];
  } catch (err) {
    throw classified(ctx, err, "embed", err instanceof EmbedderError && !err.retryable ? "The embedding service refused this query." : "The embedding service is not available right now; try again shortly.");
  }
  const started = performance.now();
  let hits: ScoredPoint[];
  try {
    hits = await (await getVectorStore()).search(version.physicalName, vector, { limit });
  } catch (err) {
    throw classified(ctx, err, "vector search", "The vector store could not answer this search; try again shortly.");
  }
  return {
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    hits: hits.map((h) => ({ id: h.id, score: h.score, documentId: String(h.payload.document_id ?? ""), path: String(h.payload.path ?? ""), ordinal: Number(h.payload.ordinal ?? 0), text: String(h.payload.text ?? "") })),
  };
}

import { z } from "zod";
import { getEmbedder } from "@/lib/embeddings";
import { EmbedderError } from "@/lib/embeddings/types";
import { can } from "@/lib/auth/rbac";
import { getVectorStore } from "@/lib/vector";
import type { ServiceContext } from "../context";
import { forbidden, ServiceError } from "../errors";
import { findCollection } from "./find";

export const SearchInput = z.object({
  collectionId: z.uuid(),
  query: z.string().trim().min(1, { message: "Type something to search for." }).max(2000),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/** The search playground: the query embedded as the collection embeds, top-k chunks from its live version. */
export async function searchCollection({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  const parsed = SearchInput.safeParse(input);
  if (!parsed.success) throw new ServiceError("invalid", parsed.error.issues[0]?.message ?? "Invalid search.", { query: parsed.error.issues.map((i) => i.message) });
  const { collectionId, query, limit } = parsed.data;
  const collection = await findCollection(collectionId);
  if (!collection.activeVersion) throw new ServiceError("conflict", "This collection has no data yet.");
  let vector: Float32Array;
  try {
    [vector] = (await getEmbedder(collection.embeddingModel).embed([query])) as [Float32Array];
  } catch (err) {
    if (err instanceof EmbedderError) throw new ServiceError("unavailable", `The embedding service is not available: ${err.message}`);
    throw err;
  }
  const started = performance.now();
  const hits = await (await getVectorStore()).search(collection.name, vector, { limit });
  return {
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    hits: hits.map((h) => ({ id: h.id, score: h.score, documentId: String(h.payload.document_id ?? ""), path: String(h.payload.path ?? ""), ordinal: Number(h.payload.ordinal ?? 0), text: String(h.payload.text ?? "") })),
  };
}

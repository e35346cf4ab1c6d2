import { dataPath, env } from "@/lib/env";
import { instrumentVectorStore } from "@/lib/observability/metrics-wrappers";
import { createLanceDbStore } from "./lancedb-store";
import { createQdrantStore } from "./qdrant-store";
import type { VectorStore } from "./types";
import { VectorStoreError } from "./validate";

export type { VectorStore } from "./types";
export { VectorStoreError } from "./validate";

type Cache = { store?: Promise<VectorStore> };
// On globalThis so dev-mode module reloads and route bundles share one store (one LanceDB connection).
const cache = ((globalThis as { __stevedoreVectorStore?: Cache }).__stevedoreVectorStore ??= {});

/** The process's vector store: LanceDB under the data directory by default, Qdrant with VECTOR_STORE=qdrant. */
export function getVectorStore(): Promise<VectorStore> {
  cache.store ??= openVectorStore().then(instrumentVectorStore).catch((e: unknown) => {
    cache.store = undefined; // a failed open (Qdrant URL missing, disk error) is retried on the next call
    throw e;
  });
  return cache.store;
}

async function openVectorStore(): Promise<VectorStore> {
  const e = env();
  if (e.VECTOR_STORE === "qdrant") {
    if (!e.QDRANT_URL) throw new VectorStoreError("VECTOR_STORE=qdrant needs QDRANT_URL (for example http://127.0.0.1:6333)");
    return createQdrantStore({ url: e.QDRANT_URL, apiKey: e.QDRANT_API_KEY });
  }
  return createLanceDbStore({ dir: dataPath("lancedb") });
}

/** Closes and forgets the cached store (shutdown, tests). */
export async function closeVectorStore(): Promise<void> {
  const pending = cache.store;
  cache.store = undefined;
  if (pending) await (await pending.catch(() => null))?.close();
}

import type { Embedder } from "@/lib/embeddings/types";
import type { VectorStore } from "@/lib/vector/types";
import { observeEmbedCall, observeStoreCall } from "./metrics";
import { markFailure } from "./metrics-errors";

/** The embedder with each embed() call timed and its batch size recorded; everything else is the embedder's own. */
export function instrumentEmbedder<E extends Embedder>(embedder: E): E {
  const original = embedder.embed;
  const embed: Embedder["embed"] = async (texts, opts) => {
    const started = performance.now();
    try {
      const vectors = await original.call(embedder, texts, opts);
      observeEmbedCall(embedder.model, texts.length, (performance.now() - started) / 1000, true);
      return vectors;
    } catch (err) {
      observeEmbedCall(embedder.model, texts.length, (performance.now() - started) / 1000, false);
      markFailure(err, "embedder");
      throw err;
    }
  };
  // What replaced embed on the embedder since (a test's spy) is what callers get; it may call the wrapper.
  return new Proxy(embedder, { get: (target, prop) => (prop === "embed" && target.embed === original ? embed : bound(target, prop)) });
}

/** Calls that talk to the store; `backend` is a property and `close` ends the process's use of it. */
const STORE_METHODS = new Set<string>(["createCollection", "dropCollection", "listCollections", "collectionInfo", "upsert", "insert", "deleteByIds", "deleteByFilter", "count", "scroll", "search", "switchAlias", "deleteAlias", "resolveAlias", "listAliases", "optimize", "health"]);

/** The store with every call timed by method (for both adapters at once: the factory returns this). */
export function instrumentVectorStore(store: VectorStore): VectorStore {
  const wrapped = new Map<string, unknown>();
  type Method = (...a: unknown[]) => Promise<unknown>;
  const originals = new Map([...STORE_METHODS].map((m) => [m, store[m as keyof VectorStore] as Method]));
  const timed = (method: string) => async (...args: unknown[]) => {
    const started = performance.now();
    try {
      const result = await originals.get(method)!.apply(store, args);
      observeStoreCall(store.backend, method, (performance.now() - started) / 1000, true);
      return result;
    } catch (err) {
      observeStoreCall(store.backend, method, (performance.now() - started) / 1000, false);
      markFailure(err, "vector_store");
      throw err;
    }
  };
  return new Proxy(store, {
    get: (target, prop) => {
      // A method replaced on the store since (a test's spy) is what callers get, as for the embedder.
      if (typeof prop !== "string" || !STORE_METHODS.has(prop) || Reflect.get(target, prop) !== originals.get(prop)) return bound(target, prop);
      if (!wrapped.has(prop)) wrapped.set(prop, timed(prop));
      return wrapped.get(prop);
    },
  });
}

/** A method of the target called on the target itself (class instances keep their private state there). */
function bound(target: object, prop: string | symbol): unknown {
  const value = Reflect.get(target, prop, target);
  return typeof value === "function" ? value.bind(target) : value;
}

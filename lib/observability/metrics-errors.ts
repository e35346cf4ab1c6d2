import type { ErrorClass } from "./metrics";

/**
 * Errors seen failing an embedder or vector store call, marked by the wrappers that saw them, so a
 * step that fails with one (or with an error caused by one) counts under that service whatever the
 * error's type: LanceDB throws its own errors, an HTTP embedder ours.
 */
const marks = ((globalThis as { __stevedoreFailureMarks?: WeakMap<object, ErrorClass> }).__stevedoreFailureMarks ??= new WeakMap());

export function markFailure(err: unknown, errorClass: "embedder" | "vector_store"): void {
  if (err && typeof err === "object" && !marks.has(err)) marks.set(err, errorClass);
}

const BY_NAME: Record<string, ErrorClass> = { EmbedderError: "embedder", VectorStoreError: "vector_store", QdrantError: "vector_store" };

/** The class of a failed attempt: the service at fault anywhere in its cause chain, else whether it is retried. */
export function classifyFailure(err: unknown, final: boolean): ErrorClass {
  let cause: unknown = err;
  for (let depth = 0; depth < 5 && cause && typeof cause === "object"; depth++) {
    const marked = marks.get(cause) ?? BY_NAME[(cause as Error).name];
    if (marked) return marked;
    cause = (cause as { cause?: unknown }).cause;
  }
  return final || (err as Error | null)?.name === "NonRetriableError" ? "permanent" : "transient";
}

import { env } from "@/lib/env";
import { instrumentEmbedder } from "@/lib/observability/metrics-wrappers";
import { runTask } from "@/lib/workers/pool";
import { BUILTIN_DEFAULT_DIMENSION, BUILTIN_MODEL, createBuiltinEmbedder } from "./builtin";
import { createHttpEmbedder } from "./http";
import type { EmbedderStats } from "./stats";
import { EmbedderError, type Embedder, type EmbedderState } from "./types";

export { EmbedderError } from "./types";
export type { Embedder, EmbedderState, BreakerState } from "./types";
export type { EmbedderStats } from "./stats";

type CachedEmbedder = Embedder & { stats(): EmbedderStats };
type Registry = { embedders: Map<string, CachedEmbedder> };

// One instance per model in the process (and across dev hot reloads), so every caller shares one breaker and one rate limit.
const registry = ((globalThis as { __stevedoreEmbedders?: Registry }).__stevedoreEmbedders ??= { embedders: new Map() });

/** Sizes of OpenAI's own models, used when STEVEDORE_EMBEDDING_DIMENSION is unset. */
const KNOWN_DIMENSIONS: Record<string, number> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
};
const OPENAI_DEFAULT_DIMENSION = 1536;

export type EmbeddingModelSpec = { kind: "builtin"; dimension: number } | { kind: "openai"; providerModel: string };

/** `builtin-hash`, `builtin-hash-<dimension>` or `openai:<provider model id>`; throws a non-retryable EmbedderError otherwise. */
export function parseEmbeddingModel(model: string): EmbeddingModelSpec {
  const builtin = new RegExp(`^${BUILTIN_MODEL}(?:-(\\d+))?$`).exec(model);
  if (builtin) return { kind: "builtin", dimension: builtin[1] ? Number(builtin[1]) : BUILTIN_DEFAULT_DIMENSION };
  if (model.startsWith("openai:") && model.length > "openai:".length) return { kind: "openai", providerModel: model.slice("openai:".length) };
  throw new EmbedderError(`unknown embedding model "${model}": use ${BUILTIN_MODEL}, ${BUILTIN_MODEL}-<dimension> or openai:<model>`, false);
}

/** The process-wide embedder for a collection's model string. */
export function getEmbedder(model: string): Embedder {
  const cached = registry.embedders.get(model);
  if (cached) return cached;
  const spec = parseEmbeddingModel(model);
  const embedder = instrumentEmbedder(
    spec.kind === "builtin"
      ? createBuiltinEmbedder({ dimension: spec.dimension, model, offload: (texts, dimension) => runTask("embedBuiltin", { texts, dimension }) })
      : createOpenAiEmbedder(model, spec.providerModel),
  );
  registry.embedders.set(model, embedder);
  return embedder;
}

function createOpenAiEmbedder(model: string, providerModel: string): CachedEmbedder {
  const e = env();
  if (!e.STEVEDORE_EMBEDDING_URL) {
    throw new EmbedderError(
      `embedding model ${model} needs an OpenAI-compatible endpoint: set STEVEDORE_EMBEDDING_URL (e.g. https://api.openai.com/v1) and STEVEDORE_EMBEDDING_API_KEY`,
      false,
    );
  }
  return createHttpEmbedder({
    name: model,
    model: providerModel,
    baseUrl: e.STEVEDORE_EMBEDDING_URL,
    apiKey: e.STEVEDORE_EMBEDDING_API_KEY,
    dimension: e.STEVEDORE_EMBEDDING_DIMENSION ?? KNOWN_DIMENSIONS[providerModel] ?? OPENAI_DEFAULT_DIMENSION,
    maxBatchSize: e.STEVEDORE_EMBEDDING_BATCH_SIZE,
    maxBatchTokens: e.STEVEDORE_EMBEDDING_BATCH_TOKENS,
    requestsPerMinute: e.STEVEDORE_EMBEDDING_RPM,
    tokensPerMinute: e.STEVEDORE_EMBEDDING_TPM,
    timeoutMs: e.STEVEDORE_EMBEDDING_TIMEOUT_MS,
    maxRetries: e.STEVEDORE_EMBEDDING_MAX_RETRIES,
    breakerFailures: e.STEVEDORE_EMBEDDING_BREAKER_FAILURES,
    breakerResetMs: e.STEVEDORE_EMBEDDING_BREAKER_RESET_MS,
  });
}

/** Breaker state of every embedder created in this process, for the Health page. */
export function embedderStates(): EmbedderState[] {
  return [...registry.embedders.values()].map((e) => e.state());
}

/** Counters of every embedder created in this process, for /api/metrics. */
export function embedderStats(): Array<{ model: string; stats: EmbedderStats }> {
  return [...registry.embedders.values()].map((e) => ({ model: e.model, stats: e.stats() }));
}

/** Forgets every cached embedder (after the environment changed, or between tests). */
export function resetEmbedders(): void {
  registry.embedders.clear();
}

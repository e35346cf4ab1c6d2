/** Turns texts into vectors. Implementations: the built-in hashing embedder and an OpenAI-compatible HTTP API. */
export interface Embedder {
  /** Stored on the collection, e.g. `builtin-hash` or `openai:text-embedding-3-small`. */
  readonly model: string;
  readonly dimension: number;
  /**
   * One vector per text, in order, L2-normalised. Throws EmbedderError. `usage.tokens` is raised by
   * the tokens this call carried (the built-in embedder's own count; a provider's `usage`, else estimated).
   */
  embed(texts: string[], opts?: EmbedOptions): Promise<Float32Array[]>;
  state(): EmbedderState;
}

export type EmbedOptions = { signal?: AbortSignal; usage?: { tokens: number } };

export type BreakerState = "closed" | "open" | "half_open";

export type EmbedderState = {
  model: string;
  breaker: BreakerState;
  consecutiveFailures: number;
  openedAt: string | null;
  /** When an open breaker lets the next trial request through. */
  retryAt: string | null;
  lastError: string | null;
};

/** `retryable`: a later attempt may succeed (5xx, 429, timeout, open breaker); else the input is at fault. */
export class EmbedderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "EmbedderError";
  }
}

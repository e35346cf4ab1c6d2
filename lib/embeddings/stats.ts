/** Monotonic counters per embedder, read by the metrics endpoint (Prometheus counters). */
export type EmbedderStats = {
  /** `embed()` calls and the texts they carried. */
  calls: number;
  inputs: number;
  /** Tokens: the built-in embedder counts those it cuts; an HTTP one takes the provider's `usage`, else estimates (chars / 4). */
  tokens: number;
  /** HTTP attempts sent, failed attempts, and retries scheduled. */
  requests: number;
  failedRequests: number;
  retries: number;
  rateLimited: number;
  timeouts: number;
  /** Calls refused without a request because the circuit breaker was open. */
  breakerRejections: number;
  breakerOpens: number;
  /** Time callers spent waiting for the client-side RPM / TPM limits. */
  throttledMs: number;
};

export function emptyStats(): EmbedderStats {
  return {
    calls: 0,
    inputs: 0,
    tokens: 0,
    requests: 0,
    failedRequests: 0,
    retries: 0,
    rateLimited: 0,
    timeouts: 0,
    breakerRejections: 0,
    breakerOpens: 0,
    throttledMs: 0,
  };
}

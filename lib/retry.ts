/**
 * Retry timing shared by everything that retries: the local executor's runs and steps, and calls
 * to the embedding service. One backoff ("equal jitter") and one reading of Retry-After.
 */

/** Half the exponential delay fixed, half random, so retries of many callers spread out; capped. */
export function backoffMs(attempt: number, baseMs: number, capMs = 300_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** A Retry-After value, as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before retry `attempt` (0-based): the server's Retry-After when it gave one (plus a little
 * jitter so many callers don't return at once), else the backoff above.
 */
export function retryDelayMs(attempt: number, baseMs: number, capMs: number, serverWaitMs?: number): number {
  if (serverWaitMs !== undefined) return serverWaitMs + Math.random() * Math.min(250, serverWaitMs / 10);
  return backoffMs(attempt, baseMs, capMs);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses Inngest time strings ("1s", "1h30m", "2d") or ISO dates; returns milliseconds from now. */
export function parseDelayMs(value: unknown, now = Date.now()): number {
  if (typeof value === "number" && Number.isFinite(value)) return Math.max(0, value);
  if (typeof value !== "string" || value.trim() === "") return 0;
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? 0 : Math.max(0, at - now);
  }
  let total = 0;
  let matched = false;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/g)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? "ms"] ?? 0);
    matched = true;
  }
  return matched ? total : 0;
}

// Backoff and Retry-After are shared with the embedding client.
export { backoffMs, parseRetryAfterMs } from "../../lib/retry";

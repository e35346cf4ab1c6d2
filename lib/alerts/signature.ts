import { createHmac, timingSafeEqual } from "node:crypto";

export const TIMESTAMP_HEADER = "x-stevedore-timestamp";
export const SIGNATURE_HEADER = "x-stevedore-signature";
/** How old a signed request a receiver should still take: older ones may be replays. */
export const SIGNATURE_TOLERANCE_S = 300;

/** `sha256=` and the hex HMAC-SHA256 of `${timestamp}.${body}` under the channel's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: "missing" | "stale" | "mismatch" };

/**
 * What a receiver does with a webhook: recompute the signature over the raw body, compare in
 * constant time, and refuse a timestamp more than `toleranceS` away from its own clock (a replay).
 * A receiver that must be strict about replays also remembers the signatures it took within the tolerance.
 */
export function verifyWebhookSignature(secret: string, timestampHeader: string | null | undefined, signatureHeader: string | null | undefined, body: string, nowMs = Date.now(), toleranceS = SIGNATURE_TOLERANCE_S): SignatureVerdict {
  if (!timestampHeader || !signatureHeader || !/^\d+$/.test(timestampHeader)) return { ok: false, reason: "missing" };
  const timestamp = Number(timestampHeader);
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceS) return { ok: false, reason: "stale" };
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signatureHeader);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: "mismatch" };
}

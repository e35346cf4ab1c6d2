import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/** Links in a notification acknowledge for 24 h (an alert still firing by then has re-notified through escalation). */
export const ACK_LINK_TTL_S = 24 * 3600;

/** A key of its own, derived from NEXTAUTH_SECRET, so an ack token can never pass as a session or the other way round. */
function ackKey(): Buffer | null {
  const secret = env().NEXTAUTH_SECRET;
  return secret ? createHmac("sha256", secret).update("stevedore.alert-ack-link.v1").digest() : null;
}

const sign = (key: Buffer, alertId: string, fireCount: number, channelId: string, expires: number) =>
  createHmac("sha256", key).update(`${alertId}.${fireCount}.${channelId}.${expires}`).digest("base64url");

/** `${fireCount}.${expires}.${channelId}.${mac}`: for this firing of this alert only, sent to this channel; null without a secret. */
export function ackToken(alertId: string, fireCount: number, channelId: string, nowMs = Date.now()): string | null {
  const key = ackKey();
  if (!key) return null;
  const expires = Math.floor(nowMs / 1000) + ACK_LINK_TTL_S;
  return `${fireCount}.${expires}.${channelId}.${sign(key, alertId, fireCount, channelId, expires)}`;
}

/** What an ack link emailed to a user names in place of a channel id (the token signs it; no dot, as the token splits on dots). */
export const userRecipientKey = (userId: string) => `user-${userId}`;
export const userOfRecipientKey = (key: string) => (key.startsWith("user-") ? key.slice(5) : null);

export type AckTokenVerdict = { ok: true; fireCount: number; channelId: string } | { ok: false; reason: "invalid" | "expired" };

export function verifyAckToken(alertId: string, token: string, nowMs = Date.now()): AckTokenVerdict {
  const key = ackKey();
  const parts = token.split(".");
  if (!key || parts.length !== 4 || !/^\d+$/.test(parts[0]!) || !/^\d+$/.test(parts[1]!)) return { ok: false, reason: "invalid" };
  const [count, expiresText, channelId, mac] = parts as [string, string, string, string];
  const expected = Buffer.from(sign(key, alertId, Number(count), channelId, Number(expiresText)));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "invalid" };
  if (Number(expiresText) * 1000 < nowMs) return { ok: false, reason: "expired" };
  return { ok: true, fireCount: Number(count), channelId };
}

export function ackUrl(alertId: string, fireCount: number, channelId: string): string | null {
  const token = ackToken(alertId, fireCount, channelId);
  const base = (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  return token ? `${base}/alerts/${alertId}/ack?token=${encodeURIComponent(token)}` : null;
}

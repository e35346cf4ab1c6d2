import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** JSON with object keys sorted (RFC 8785 style), the form the SDK signs and verifies. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

function stripPrefix(signingKey: string): string {
  return signingKey.replace(/^signkey-[\w]+-/, "");
}

/** `x-inngest-signature` value: HMAC-SHA256 over body + unix seconds, keyed with the bare key. */
export function signBody(body: string, signingKey: string, nowSeconds = Math.round(Date.now() / 1000)): string {
  const s = createHmac("sha256", stripPrefix(signingKey)).update(body + String(nowSeconds)).digest("hex");
  return `t=${nowSeconds}&s=${s}`;
}

/** A signing key in Inngest's format, for the local executor: `signkey-local-<64 hex>`. */
export function generateSigningKey(): string {
  return `signkey-local-${randomBytes(32).toString("hex")}`;
}

export const SIGNING_KEY_FORMAT = /^signkey-[\w]+-[0-9a-f]{64}$/;

/** The bearer token the SDK sends to the REST API: the key's prefix + SHA-256 of its hex bytes (what Inngest Cloud expects too). */
export function hashedSigningKey(signingKey: string): string {
  const prefix = signingKey.match(/^signkey-[\w]+-/)?.[0] ?? "";
  return prefix + sha256Hex(Buffer.from(stripPrefix(signingKey), "hex"));
}

/** The SDK authenticates to the API with `Bearer <prefix><sha256(key)>`; accept that or the raw key. */
export function isAuthorized(header: string | undefined, signingKey: string | undefined): boolean {
  if (!signingKey) return true;
  const token = header?.replace(/^Bearer\s+/i, "") ?? "";
  return [signingKey, hashedSigningKey(signingKey)].some((candidate) => safeEqual(candidate, token));
}

/** The Event API's key check (`/e/:key`), in constant time; no configured key accepts any. */
export function isEventKey(given: string, eventKey: string | undefined): boolean {
  return eventKey === undefined || safeEqual(eventKey, given);
}

function sha256Hex(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

import { randomUUID } from "node:crypto";

/** The client's address: the first hop a proxy recorded, else the direct peer if the server passed it on. */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  if (forwarded) return forwarded.split(",")[0]!.trim() || null;
  return headers.get("x-real-ip");
}

/** A caller's x-request-id when it looks sane, else a fresh one, so logs and audit rows can be joined. */
export function correlationIdFrom(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && /^[\w.:-]{8,100}$/.test(given) ? given : randomUUID();
}

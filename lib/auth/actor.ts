import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { authenticateApiToken } from "@/lib/services/api-token/authenticate";
import type { ServiceContext } from "@/lib/services/context";
import { findSessionUser } from "@/lib/services/user/find-active";
import { clientIp, correlationIdFrom } from "./request-meta";
import { readSessionClaims } from "./session-token";

/** The signed-in user behind a request's session cookie, read fresh from the database (session, role, disabled). */
export async function cookieContext(h: Headers): Promise<ServiceContext | null> {
  const claims = await readSessionClaims(h.get("cookie"));
  if (!claims) return null;
  const user = await findSessionUser(claims);
  if (!user) return null;
  return {
    actor: { type: "user", id: user.id, email: user.email, name: user.name, role: user.role, sessionId: claims.sessionId },
    ip: clientIp(h),
    correlationId: correlationIdFrom(h),
  };
}

/** For pages and server actions: the session's context, once per request. */
export const sessionContext = cache(async (): Promise<ServiceContext | null> => cookieContext(await headers()));

/** For pages: the signed-in user's context, or a redirect to the sign-in page. */
export async function pageContext(): Promise<ServiceContext> {
  const ctx = await sessionContext();
  if (!ctx) redirect("/login");
  return ctx;
}

/** Whether a request authenticates with an `Authorization: Bearer` API token rather than a cookie. */
export const usesBearerToken = (request: Request) => !!request.headers.get("authorization")?.toLowerCase().startsWith("bearer ");

/** For /api/v1: an `Authorization: Bearer` API token, or else the browser's session cookie. */
export async function requestContext(request: Request): Promise<ServiceContext | null> {
  if (usesBearerToken(request)) {
    const actor = await authenticateApiToken(request.headers.get("authorization")!.slice(7).trim());
    return actor ? { actor, ip: clientIp(request.headers), correlationId: correlationIdFrom(request.headers) } : null;
  }
  return cookieContext(request.headers);
}

import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { authenticateApiToken } from "@/lib/services/api-token/authenticate";
import type { ServiceContext } from "@/lib/services/context";
import { findActiveUser } from "@/lib/services/user/find-active";
import { authOptions } from "./options";
import { clientIp, correlationIdFrom } from "./request-meta";

/** The signed-in user behind the session cookie, read fresh from the database (role, disabled); once per request. */
export const sessionContext = cache(async (): Promise<ServiceContext | null> => {
  const session = (await getServerSession(authOptions())) as { userId?: string } | null;
  if (!session?.userId) return null;
  const user = await findActiveUser(session.userId);
  if (!user) return null;
  const h = await headers();
  return { actor: { type: "user", id: user.id, email: user.email, name: user.name, role: user.role }, ip: clientIp(h), correlationId: correlationIdFrom(h) };
});

/** For pages: the signed-in user's context, or a redirect to the sign-in page. */
export async function pageContext(): Promise<ServiceContext> {
  const ctx = await sessionContext();
  if (!ctx) redirect("/login");
  return ctx;
}

/** For /api/v1: an `Authorization: Bearer` API token, or else the browser's session. */
export async function requestContext(request: Request): Promise<ServiceContext | null> {
  const auth = request.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) {
    const actor = await authenticateApiToken(auth.slice(7).trim());
    return actor ? { actor, ip: clientIp(request.headers), correlationId: correlationIdFrom(request.headers) } : null;
  }
  return sessionContext();
}

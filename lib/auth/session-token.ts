import { decode } from "next-auth/jwt";
import { env } from "@/lib/env";

const COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

export type SessionClaims = { userId: string; sessionId: string };

function parseCookies(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 1) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      out.set(part.slice(0, eq).trim(), decodeURIComponent(raw));
    } catch {
      out.set(part.slice(0, eq).trim(), raw);
    }
  }
  return out;
}

/** The next-auth session cookie's value, joined when next-auth split a large one into `name.0`, `name.1`, … */
function sessionCookie(cookies: Map<string, string>): string | undefined {
  for (const name of COOKIE_NAMES) {
    if (cookies.has(name)) return cookies.get(name);
    const chunks = [...cookies.keys()].filter((k) => k.startsWith(`${name}.`)).sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()));
    if (chunks.length) return chunks.map((k) => cookies.get(k)).join("");
  }
  return undefined;
}

/**
 * The user and session a request's cookie names, if the cookie is a JWT next-auth sealed with our
 * secret. Read from the Cookie header itself, so pages, actions and API routes share one path.
 */
export async function readSessionClaims(cookieHeader: string | null): Promise<SessionClaims | null> {
  const secret = env().NEXTAUTH_SECRET;
  const token = cookieHeader && secret ? sessionCookie(parseCookies(cookieHeader)) : undefined;
  if (!token) return null;
  const claims = await decode({ token, secret: secret! }).catch(() => null);
  const { sub, sid } = (claims ?? {}) as { sub?: unknown; sid?: unknown };
  return typeof sub === "string" && typeof sid === "string" ? { userId: sub, sessionId: sid } : null;
}

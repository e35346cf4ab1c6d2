import { encode } from "next-auth/jwt";
import { env } from "@/lib/env";
import { signIn } from "@/lib/services/auth/sign-in";
import { TEST_PASSWORD } from "@/db/test/factories";
import { authOptions } from "../options";

/** For tests: NEXTAUTH_SECRET and NEXTAUTH_URL as the launcher would set them. Call before anything reads env(). */
export function setTestAuthEnv(url = "http://console.test:3000") {
  process.env.NEXTAUTH_SECRET ??= "test-secret-for-session-cookies-0123456789";
  process.env.NEXTAUTH_URL ??= url;
}

export const CONSOLE_ORIGIN = "http://console.test:3000";

/**
 * Signs in the way the login form does (the sign-in verb, then next-auth's jwt callback) and returns
 * the `Cookie` header a browser would send, sealed exactly as next-auth seals it.
 */
export async function signedInCookie(email: string, password = TEST_PASSWORD, ip = "10.1.2.3"): Promise<{ cookie: string; sessionId: string }> {
  const actor = await signIn({ input: { email, password }, ip });
  const user = { id: actor.id!, email: actor.email, name: actor.name ?? actor.email, sessionId: actor.sessionId };
  const token = await authOptions().callbacks!.jwt!({ token: { email: actor.email, name: user.name }, user, account: null, trigger: "signIn" } as never);
  const jwt = await encode({ token, secret: env().NEXTAUTH_SECRET! });
  return { cookie: `next-auth.session-token=${jwt}`, sessionId: actor.sessionId };
}

/** A Request to an /api/v1 path on the console, as a browser on `origin` would send it with `cookie`. */
export function apiRequest(path: string, init: { method?: string; cookie?: string; origin?: string | null; headers?: Record<string, string>; body?: BodyInit } = {}): Request {
  const headers = new Headers(init.headers);
  if (!headers.has("host")) headers.set("host", new URL(CONSOLE_ORIGIN).host);
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.origin) headers.set("origin", init.origin);
  return new Request(new URL(path, CONSOLE_ORIGIN), { method: init.method ?? "GET", headers, body: init.body });
}

export const noParams = { params: Promise.resolve({}) };
export const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });

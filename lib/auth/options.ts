import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";
import { SESSION_MAX_AGE_S } from "@/lib/services/auth/sessions";
import { signIn, SignInLockedError } from "@/lib/services/auth/sign-in";
import { signOut } from "@/lib/services/auth/sign-out";
import { ServiceError } from "@/lib/services/errors";
import { getLogger } from "@/lib/observability/logger";
import { clientIp } from "./request-meta";

/** Codes the login form turns into messages; nothing else of an error ever reaches the browser. */
export const SIGN_IN_ERRORS = { invalid: "invalid", locked: "locked", internal: "internal" } as const;

/** `locked:<minutes>`: the form says how long the lock lasts. */
export const lockedCode = (minutes: number) => `${SIGN_IN_ERRORS.locked}:${minutes}`;

export function authOptions(): AuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const headers = new Headers(req.headers as Record<string, string>);
          try {
            const actor = await signIn({ input: credentials, ip: clientIp(headers) });
            return { id: actor.id!, email: actor.email, name: actor.name ?? actor.email, sessionId: actor.sessionId };
          } catch (err) {
            if (err instanceof SignInLockedError) throw new Error(lockedCode(err.minutesLeft));
            if (err instanceof ServiceError && err.code === "unauthenticated") throw new Error(SIGN_IN_ERRORS.invalid);
            getLogger().error({ err }, "sign-in failed unexpectedly");
            throw new Error(SIGN_IN_ERRORS.internal);
          }
        },
      }),
    ],
    callbacks: {
      // The token names the user and the server-side session; everything else is read fresh on every request.
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sid = (user as { sessionId?: string }).sessionId;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
    events: {
      // Sign-out ends the session on the server too, so a copy of the cookie stops working with it.
      async signOut({ token }) {
        const sessionId = typeof token?.sid === "string" ? token.sid : undefined;
        if (!sessionId || !token.sub) return;
        const actor = { type: "user" as const, id: token.sub, email: token.email ?? "(unknown)", role: null, sessionId };
        await signOut({ ctx: { actor, ip: null, correlationId: randomUUID() } });
      },
    },
  };
}

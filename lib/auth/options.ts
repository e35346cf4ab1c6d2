import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { signIn } from "@/lib/services/auth/sign-in";
import { ServiceError } from "@/lib/services/errors";
import { getLogger } from "@/lib/observability/logger";
import { clientIp } from "./request-meta";

/** Codes the login form turns into messages; nothing else of an error ever reaches the browser. */
export const SIGN_IN_ERRORS = { invalid: "invalid", locked: "locked", internal: "internal" } as const;

export function authOptions(): AuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const headers = new Headers(req.headers as Record<string, string>);
          try {
            const actor = await signIn({ input: credentials, ip: clientIp(headers) });
            return { id: actor.id!, email: actor.email, name: actor.name ?? actor.email };
          } catch (err) {
            if (err instanceof ServiceError && err.code === "rate_limited") throw new Error(SIGN_IN_ERRORS.locked);
            if (err instanceof ServiceError && err.code === "unauthenticated") throw new Error(SIGN_IN_ERRORS.invalid);
            getLogger().error({ err }, "sign-in failed unexpectedly");
            throw new Error(SIGN_IN_ERRORS.internal);
          }
        },
      }),
    ],
    callbacks: {
      // The token carries only the user id; role and disabled state are read fresh on every request.
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
  };
}

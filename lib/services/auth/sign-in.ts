import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { signInThrottle } from "@/db/schema/sign-in-throttle";
import { users } from "@/db/schema/users";
import { env } from "@/lib/env";
import { decoyHash, verifyPassword } from "@/lib/auth/password";
import { emitAuditNow, emitAudit } from "../audit/emit";
import { anonymousContext, type Actor } from "../context";
import { ServiceError } from "../errors";

const Credentials = z.object({ email: z.string().trim().toLowerCase().max(320), password: z.string().max(1000) });

/** One message for every wrong e-mail or password, so the answer never tells which one was wrong. */
export const INVALID_CREDENTIALS = "Invalid e-mail or password.";
export const LOCKED_OUT = "Too many failed sign-ins. Try again later.";

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Checks credentials. Failures are counted per e-mail (known or not): each one is answered more
 * slowly, and after STEVEDORE_SIGNIN_MAX_FAILURES the e-mail is locked for a while. Every attempt is audited.
 */
export async function signIn({ input, ip, correlationId }: { input: unknown; ip: string | null; correlationId?: string }): Promise<Actor> {
  const parsed = Credentials.safeParse(input);
  const email = parsed.success ? parsed.data.email : "";
  const ctx = anonymousContext(email || "(none)", ip, correlationId);
  const db = getDb();

  const [throttle] = email ? await db.select().from(signInThrottle).where(eq(signInThrottle.key, email)) : [];
  if (throttle?.lockedUntil && throttle.lockedUntil > new Date()) {
    await emitAuditNow(ctx, { action: "auth.sign_in", outcome: "failure", error: "locked out" });
    throw new ServiceError("rate_limited", LOCKED_OUT);
  }

  const [user] = email ? await db.select().from(users).where(eq(users.email, email)) : [];
  const passwordOk = parsed.success && (await verifyPassword(parsed.data.password, user?.passwordHash ?? (await decoyHash())));
  if (!user || !passwordOk || user.disabledAt) {
    const reason = !user ? "unknown e-mail" : !passwordOk ? "wrong password" : "account disabled";
    if (email) await recordFailure(email);
    await emitAuditNow(ctx, { action: "auth.sign_in", outcome: "failure", error: reason, target: user ? { type: "user", id: user.id } : undefined });
    await delay(Math.min(2000, 100 * 2 ** Math.min(throttle?.failures ?? 0, 5)));
    throw new ServiceError("unauthenticated", INVALID_CREDENTIALS);
  }

  const actor: Actor = { type: "user", id: user.id, email: user.email, name: user.name, role: user.role };
  await db.transaction(async (tx) => {
    await tx.delete(signInThrottle).where(eq(signInThrottle.key, email));
    await tx.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
    await emitAudit(tx, { ...ctx, actor }, { action: "auth.sign_in", target: { type: "user", id: user.id } });
  });
  return actor;
}

async function recordFailure(email: string): Promise<void> {
  const { STEVEDORE_SIGNIN_MAX_FAILURES: max, STEVEDORE_SIGNIN_LOCKOUT_MINUTES: minutes } = env();
  // A failure long after the last one starts a fresh count; reaching the limit locks and resets it.
  await getDb()
    .insert(signInThrottle)
    .values({ key: email, failures: 1, lastFailureAt: new Date() })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`case when ${signInThrottle.lastFailureAt} < now() - (interval '1 minute' * ${minutes}) then 1
                      when ${signInThrottle.failures} + 1 >= ${max} then 0 else ${signInThrottle.failures} + 1 end`,
        lockedUntil: sql`case when ${signInThrottle.failures} + 1 >= ${max} and ${signInThrottle.lastFailureAt} >= now() - (interval '1 minute' * ${minutes})
                         then now() + (interval '1 minute' * ${minutes}) else ${signInThrottle.lockedUntil} end`,
        lastFailureAt: sql`now()`,
      },
    });
}

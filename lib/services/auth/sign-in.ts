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
import { startSession } from "./sessions";

const Credentials = z.object({ email: z.string().trim().toLowerCase().max(320), password: z.string().max(1000) });

/** One message for every wrong e-mail or password, so the answer never tells which one was wrong. */
export const INVALID_CREDENTIALS = "Invalid e-mail or password.";

export const lockedOutMessage = (minutes: number) =>
  `Too many failed sign-ins from this address. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or ask an admin to unlock the account.`;

/** Refused because this e-mail is locked from this address; says for how many more minutes. */
export class SignInLockedError extends ServiceError {
  constructor(readonly minutesLeft: number) {
    super("rate_limited", lockedOutMessage(minutesLeft));
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Failures are counted per e-mail *and* client address, so nobody can lock an account out from elsewhere. */
export const throttleKey = (email: string, ip: string | null) => `${email} ${ip ?? "unknown"}`;

/**
 * Checks credentials and starts a browser session. Failures are counted per e-mail (known or not)
 * and client address: each one is answered more slowly, and after STEVEDORE_SIGNIN_MAX_FAILURES
 * that pair is locked for a while. Every attempt is audited.
 */
export async function signIn({ input, ip, correlationId }: { input: unknown; ip: string | null; correlationId?: string }): Promise<Actor & { sessionId: string }> {
  const parsed = Credentials.safeParse(input);
  const email = parsed.success ? parsed.data.email : "";
  const ctx = anonymousContext(email || "(none)", ip, correlationId);
  const db = getDb();
  const key = throttleKey(email, ip);

  const [user] = email ? await db.select().from(users).where(eq(users.email, email)) : [];
  const target = { type: "user", id: user?.id ?? null };
  const [throttle] = email ? await db.select().from(signInThrottle).where(eq(signInThrottle.key, key)) : [];
  if (throttle?.lockedUntil && throttle.lockedUntil > new Date()) {
    const minutesLeft = Math.max(1, Math.ceil((throttle.lockedUntil.getTime() - Date.now()) / 60_000));
    await emitAuditNow(ctx, { action: "auth.sign_in", target, outcome: "failure", error: "locked out", params: { lockedUntil: throttle.lockedUntil.toISOString() } });
    throw new SignInLockedError(minutesLeft);
  }

  const passwordOk = parsed.success && (await verifyPassword(parsed.data.password, user?.passwordHash ?? (await decoyHash())));
  if (!user || !passwordOk || user.disabledAt) {
    const reason = !user ? "unknown e-mail" : !passwordOk ? "wrong password" : "account disabled";
    if (email) await recordFailure(email, ip);
    await emitAuditNow(ctx, { action: "auth.sign_in", outcome: "failure", error: reason, target });
    await delay(Math.min(2000, 100 * 2 ** Math.min(throttle?.failures ?? 0, 5)));
    throw new ServiceError("unauthenticated", INVALID_CREDENTIALS);
  }

  const actor: Actor = { type: "user", id: user.id, email: user.email, name: user.name, role: user.role };
  return db.transaction(async (tx) => {
    await tx.delete(signInThrottle).where(eq(signInThrottle.key, key));
    await tx.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
    const sessionId = await startSession(tx, { userId: user.id, ip });
    await emitAudit(tx, { ...ctx, actor: { ...actor, sessionId } }, { action: "auth.sign_in", target: { type: "user", id: user.id }, params: { sessionId } });
    return { ...actor, sessionId };
  });
}

async function recordFailure(email: string, ip: string | null): Promise<void> {
  const { STEVEDORE_SIGNIN_MAX_FAILURES: max, STEVEDORE_SIGNIN_LOCKOUT_MINUTES: minutes } = env();
  // A failure long after the last one starts a fresh count; reaching the limit locks and resets it.
  await getDb()
    .insert(signInThrottle)
    .values({ key: throttleKey(email, ip), email, ip, failures: 1, lastFailureAt: new Date(), lockedUntil: max <= 1 ? sql`now() + (interval '1 minute' * ${minutes})` : null })
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


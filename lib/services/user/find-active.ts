import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { userSessions } from "@/db/schema/user-sessions";
import { users } from "@/db/schema/users";
import { env } from "@/lib/env";
import { SESSION_MAX_AGE_S } from "../auth/sessions";

/**
 * The user behind a browser session, checked on every request: the session has not been ended
 * (sign-out, password or role change, disable), is within its idle timeout and maximum age, and
 * the account is enabled. Marks the session as used, at most once a minute.
 */
export async function findSessionUser({ userId, sessionId }: { userId: string; sessionId: string }) {
  const idleMinutes = env().STEVEDORE_SESSION_IDLE_MINUTES;
  const db = getDb();
  const [row] = await db
    .select({
      user: users,
      idle: sql<boolean>`${userSessions.lastSeenAt} <= now() - (interval '1 minute' * ${idleMinutes})`,
      expired: sql<boolean>`${userSessions.createdAt} <= now() - (interval '1 second' * ${SESSION_MAX_AGE_S})`,
      touch: sql<boolean>`${userSessions.lastSeenAt} < now() - interval '1 minute'`,
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), isNull(userSessions.endedAt)));
  if (!row || row.user.disabledAt) return undefined;
  if (row.idle || row.expired) {
    await db.update(userSessions).set({ endedAt: sql`now()`, endReason: row.expired ? "expired" : "idle" }).where(and(eq(userSessions.id, sessionId), isNull(userSessions.endedAt)));
    return undefined;
  }
  if (row.touch) await db.update(userSessions).set({ lastSeenAt: sql`now()` }).where(eq(userSessions.id, sessionId));
  return row.user;
}

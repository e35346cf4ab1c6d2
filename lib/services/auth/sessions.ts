import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { userSessions, type SessionEndReason } from "@/db/schema/user-sessions";

/** Browser sessions end 12 h after sign-in however active they are; the cookie's own lifetime matches. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

/** Records a new browser session for a user who just proved who they are; its id goes into the cookie. */
export async function startSession(tx: Executor, { userId, ip }: { userId: string; ip: string | null }): Promise<string> {
  const [row] = await tx.insert(userSessions).values({ userId, ip }).returning({ id: userSessions.id });
  return row!.id;
}

/** Ends one session (sign-out), wherever its cookie has been copied to. */
export async function endSession(tx: Executor, sessionId: string, reason: SessionEndReason): Promise<void> {
  await tx
    .update(userSessions)
    .set({ endedAt: sql`now()`, endReason: reason })
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.endedAt)));
}

/** Ends every open session of a user, but `except` (the one making the change, when it is their own). */
export async function endUserSessions(tx: Executor, userId: string, reason: SessionEndReason, except?: string): Promise<number> {
  const ended = await tx
    .update(userSessions)
    .set({ endedAt: sql`now()`, endReason: reason })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.endedAt), except ? ne(userSessions.id, except) : undefined))
    .returning({ id: userSessions.id });
  return ended.length;
}

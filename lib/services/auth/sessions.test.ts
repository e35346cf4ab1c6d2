import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog } from "@/db/schema/audit-log";
import { userSessions } from "@/db/schema/user-sessions";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext, createTestUser, TEST_PASSWORD } from "@/db/test/factories";
import { authOptions } from "@/lib/auth/options";
import { apiRequest, noParams, signedInCookie, setTestAuthEnv } from "@/lib/auth/test-support/session-cookie";
import { env } from "@/lib/env";
import { GET as me } from "@/app/api/v1/me/route";
import { changeOwnPassword } from "../user/change-password";
import { updateUser } from "../user/update";
import type { ServiceContext } from "../context";

setTestAuthEnv();

const meStatus = async (cookie: string) => (await me(apiRequest("/api/v1/me", { cookie }), noParams)).status;

/** The context a signed-in browser's requests get: the user plus the session they came with. */
function browserContext(user: { id: string; email: string; role: "viewer" | "operator" | "admin" }, sessionId: string): ServiceContext {
  return { actor: { type: "user", id: user.id, email: user.email, role: user.role, sessionId }, ip: "10.1.2.3", correlationId: randomUUID() };
}

describe("browser sessions end on the server", () => {
  beforeAll(() => void env());

  it("a copied cookie stops working after sign-out, which is audited", async () => {
    const user = await createTestUser("viewer");
    const { cookie, sessionId } = await signedInCookie(user.email);
    const other = await signedInCookie(user.email);
    expect(await meStatus(cookie)).toBe(200);
    const token = await authOptions().callbacks!.jwt!({ token: { sub: user.id, sid: sessionId, email: user.email }, user: undefined, account: null } as never);
    await authOptions().events!.signOut!({ token, session: null as never });
    expect(await meStatus(cookie)).toBe(401);
    expect(await meStatus(other.cookie)).toBe(200); // signing out of one browser leaves the others
    const [row] = await getDb().select().from(userSessions).where(eq(userSessions.id, sessionId));
    expect(row).toMatchObject({ endedAt: expect.any(Date), endReason: "sign_out" });
    const audit = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "auth.sign_out"), eq(auditLog.targetId, user.id)));
    expect(audit).toMatchObject([{ actorId: user.id, outcome: "success", params: { sessionId } }]);
  });

  it("a password change ends every other session of the user, but not the one that changed it", async () => {
    const user = await createTestUser("operator");
    const stolen = await signedInCookie(user.email);
    const mine = await signedInCookie(user.email);
    expect(await meStatus(stolen.cookie)).toBe(200);
    const ctx = browserContext(user, mine.sessionId);
    await changeOwnPassword({ ctx, input: { currentPassword: TEST_PASSWORD, newPassword: "a-brand-new-password", confirmPassword: "a-brand-new-password" } });
    expect(await meStatus(stolen.cookie)).toBe(401);
    expect(await meStatus(mine.cookie)).toBe(200);
    expect(await auditRowsOf(ctx.correlationId)).toMatchObject([{ action: "user.change_password", params: { endedSessions: 1 } }]);
  });

  it("a role change or disabling ends all of the user's sessions", async () => {
    const admin = await actorContext("admin");
    for (const change of [{ role: "admin" }, { disabled: true }]) {
      const user = await createTestUser("viewer");
      const { cookie } = await signedInCookie(user.email);
      expect(await meStatus(cookie)).toBe(200);
      await updateUser({ ctx: admin, input: { userId: user.id, ...change } });
      expect(await meStatus(cookie), JSON.stringify(change)).toBe(401);
    }
  });

  it("a session unused for longer than STEVEDORE_SESSION_IDLE_MINUTES ends; use keeps it alive", async () => {
    const user = await createTestUser("viewer");
    const { cookie, sessionId } = await signedInCookie(user.email);
    const idle = env().STEVEDORE_SESSION_IDLE_MINUTES;
    await getDb().update(userSessions).set({ lastSeenAt: sql`now() - (interval '1 minute' * ${idle - 2})` }).where(eq(userSessions.id, sessionId));
    expect(await meStatus(cookie)).toBe(200);
    const [touched] = await getDb().select().from(userSessions).where(eq(userSessions.id, sessionId));
    expect(Date.now() - touched!.lastSeenAt.getTime()).toBeLessThan(60_000);
    await getDb().update(userSessions).set({ lastSeenAt: sql`now() - (interval '1 minute' * ${idle + 1})` }).where(eq(userSessions.id, sessionId));
    expect(await meStatus(cookie)).toBe(401);
    const [ended] = await getDb().select().from(userSessions).where(eq(userSessions.id, sessionId));
    expect(ended!.endReason).toBe("idle");
  });

  it("refuses a cookie that names no server-side session, or another user's", async () => {
    const user = await createTestUser("admin");
    const secret = env().NEXTAUTH_SECRET!;
    const legacy = await encode({ token: { sub: user.id }, secret });
    expect(await meStatus(`next-auth.session-token=${legacy}`)).toBe(401);
    const victim = await createTestUser("viewer");
    const { sessionId } = await signedInCookie(victim.email);
    const forged = await encode({ token: { sub: user.id, sid: sessionId }, secret });
    expect(await meStatus(`next-auth.session-token=${forged}`)).toBe(401);
    const wrongSecret = await encode({ token: { sub: victim.id, sid: sessionId }, secret: "another-secret" });
    expect(await meStatus(`next-auth.session-token=${wrongSecret}`)).toBe(401);
  });
});

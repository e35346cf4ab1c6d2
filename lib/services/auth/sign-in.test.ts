import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { userSessions } from "@/db/schema/user-sessions";
import { users } from "@/db/schema/users";
import { auditRowsOf } from "@/db/test/audit";
import { createTestUser, TEST_PASSWORD, uniqueEmail } from "@/db/test/factories";
import { actorContext } from "@/db/test/factories";
import { systemContext } from "../context";
import { listUsers } from "../user/list";
import { resetPassword } from "../user/reset-password";
import { unlockUser } from "../user/unlock";
import { INVALID_CREDENTIALS, signIn } from "./sign-in";

const attempt = (email: string, password: string, ip = "10.0.0.1") => {
  const correlationId = randomUUID();
  return { correlationId, result: signIn({ input: { email, password }, ip, correlationId }) };
};

const lockOut = async (email: string, ip = "10.0.0.1") => {
  for (let i = 0; i < 5; i++) await expect(attempt(email, `wrong-${i}`, ip).result).rejects.toMatchObject({ code: "unauthenticated" });
};

describe("signIn", () => {
  it("accepts the right password (any e-mail case) and audits the success", async () => {
    const user = await createTestUser("operator");
    const { correlationId, result } = attempt(user.email.toUpperCase(), TEST_PASSWORD);
    await expect(result).resolves.toMatchObject({ type: "user", id: user.id, role: "operator" });
    expect(await auditRowsOf(correlationId)).toMatchObject([{ action: "auth.sign_in", outcome: "success", actorId: user.id, ip: "10.0.0.1" }]);
    const [stored] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(stored!.lastSignInAt).toBeInstanceOf(Date);
  });

  it("answers a wrong password, an unknown e-mail and a disabled account with the same message", async () => {
    const user = await createTestUser("viewer");
    const disabled = await createTestUser("viewer", { disabledAt: new Date() });
    for (const [email, password] of [
      [user.email, "wrong password!!"],
      [uniqueEmail("nobody"), TEST_PASSWORD],
      [disabled.email, TEST_PASSWORD],
    ] as const) {
      const { correlationId, result } = attempt(email, password);
      await expect(result).rejects.toMatchObject({ code: "unauthenticated", message: INVALID_CREDENTIALS });
      expect(await auditRowsOf(correlationId)).toMatchObject([{ action: "auth.sign_in", outcome: "failure", actorEmail: email }]);
    }
  });

  it("locks an e-mail out from the failing address after repeated failures, even for the right password, and says for how long", async () => {
    const user = await createTestUser("viewer");
    await lockOut(user.email);
    const { correlationId, result } = attempt(user.email, TEST_PASSWORD);
    await expect(result).rejects.toMatchObject({ code: "rate_limited", minutesLeft: 15, message: expect.stringContaining("Try again in 15 minutes") });
    expect(await auditRowsOf(correlationId)).toMatchObject([{ outcome: "failure", error: "locked out", targetType: "user", targetId: user.id }]);
  }, 30_000);

  it("does not lock the account out for anyone signing in from another address", async () => {
    const admin = await createTestUser("admin");
    await lockOut(admin.email, "203.0.113.9");
    await expect(attempt(admin.email, TEST_PASSWORD, "203.0.113.9").result).rejects.toMatchObject({ code: "rate_limited" });
    await expect(attempt(admin.email, TEST_PASSWORD, "10.0.0.7").result).resolves.toMatchObject({ id: admin.id });
  }, 30_000);
});

describe("a way back in", () => {
  it("an admin unlocks a user from every address, audited; the users list shows the lock until then", async () => {
    const user = await createTestUser("operator");
    await lockOut(user.email);
    const admin = await actorContext("admin");
    const listed = (await listUsers({ ctx: admin })).find((u) => u.id === user.id);
    expect(listed!.lockedUntil).toBeInstanceOf(Date);
    await expect(unlockUser({ ctx: admin, input: { userId: user.id } })).resolves.toEqual({ cleared: 1 });
    expect((await listUsers({ ctx: admin })).find((u) => u.id === user.id)!.lockedUntil).toBeNull();
    await expect(attempt(user.email, TEST_PASSWORD).result).resolves.toMatchObject({ id: user.id });
    expect(await auditRowsOf(admin.correlationId)).toMatchObject([{ action: "user.unlock", outcome: "success", targetType: "user", targetId: user.id, params: { email: user.email } }]);
  }, 30_000);

  it("refuses to unlock for a non-admin, and the refusal names the target", async () => {
    const user = await createTestUser("viewer");
    const operator = await actorContext("operator");
    await expect(unlockUser({ ctx: operator, input: { userId: user.id } })).rejects.toMatchObject({ code: "forbidden" });
    expect(await auditRowsOf(operator.correlationId)).toMatchObject([{ action: "user.unlock", outcome: "denied", targetType: "user", targetId: user.id }]);
  });

  it("reset-password (the server command, as the system) sets a new password, unlocks, and ends the user's sessions", async () => {
    const user = await createTestUser("admin");
    const { sessionId } = await signIn({ input: { email: user.email, password: TEST_PASSWORD }, ip: "10.9.9.9" });
    await lockOut(user.email);
    const ctx = systemContext();
    const { generatedPassword } = await resetPassword({ ctx, input: { email: user.email.toUpperCase() } });
    expect(generatedPassword).toMatch(/^[\w-]{16}$/);
    await expect(attempt(user.email, TEST_PASSWORD).result).rejects.toMatchObject({ code: "unauthenticated" });
    await expect(attempt(user.email, generatedPassword!).result).resolves.toMatchObject({ id: user.id });
    expect(await auditRowsOf(ctx.correlationId)).toMatchObject([
      { action: "user.reset_password", actorType: "system", outcome: "success", targetId: user.id, params: { generated: true, unlockedAddresses: 1 } },
    ]);
    expect(JSON.stringify(await auditRowsOf(ctx.correlationId))).not.toContain(generatedPassword);
    const [session] = await getDb().select().from(userSessions).where(eq(userSessions.id, sessionId));
    expect(session).toMatchObject({ endedAt: expect.any(Date), endReason: "password_reset" });
    await expect(resetPassword({ ctx, input: { email: "nobody@example.test", password: "long-enough-password" } })).rejects.toMatchObject({ code: "not_found" });
  }, 30_000);
});

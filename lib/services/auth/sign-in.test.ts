import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema/users";
import { auditRowsOf } from "@/db/test/audit";
import { createTestUser, TEST_PASSWORD, uniqueEmail } from "@/db/test/factories";
import { INVALID_CREDENTIALS, LOCKED_OUT, signIn } from "./sign-in";

const attempt = (email: string, password: string) => {
  const correlationId = randomUUID();
  return { correlationId, result: signIn({ input: { email, password }, ip: "10.0.0.1", correlationId }) };
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

  it("locks an e-mail out after repeated failures, even for the right password", async () => {
    const user = await createTestUser("viewer");
    for (let i = 0; i < 5; i++) await expect(attempt(user.email, `wrong-${i}`).result).rejects.toMatchObject({ code: "unauthenticated" });
    const { correlationId, result } = attempt(user.email, TEST_PASSWORD);
    await expect(result).rejects.toMatchObject({ code: "rate_limited", message: LOCKED_OUT });
    expect(await auditRowsOf(correlationId)).toMatchObject([{ outcome: "failure", error: "locked out" }]);
  }, 30_000);
});

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema/users";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext, contextFor, createTestUser, TEST_PASSWORD, uniqueEmail } from "@/db/test/factories";
import { signIn } from "../auth/sign-in";
import { ServiceError } from "../errors";
import { createUser } from "./create";
import { changeOwnPassword } from "./change-password";
import { updateUser } from "./update";

const validInput = () => ({ email: uniqueEmail("new"), name: "New Person", role: "operator", password: "a-long-enough-password" });

describe("createUser", () => {
  it("creates the user with a hashed password and audits it in the same transaction", async () => {
    const ctx = await actorContext("admin");
    const input = validInput();
    const user = await createUser({ ctx, input: { ...input, email: input.email.toUpperCase() } });
    expect(user.email).toBe(input.email);
    const [stored] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(stored!.passwordHash).toMatch(/^scrypt\$/);
    expect(stored!.passwordHash).not.toContain(input.password);
    const audit = await auditRowsOf(ctx.correlationId);
    expect(audit).toMatchObject([{ action: "user.create", outcome: "success", actorEmail: ctx.actor.email, targetId: user.id, params: { email: input.email, role: "operator" } }]);
    expect(JSON.stringify(audit)).not.toContain(input.password);
  });

  it.each(["viewer", "operator"] as const)("refuses a %s, creates nothing and audits the refusal", async (role) => {
    const ctx = await actorContext(role);
    const input = validInput();
    await expect(createUser({ ctx, input })).rejects.toMatchObject({ code: "forbidden" });
    expect(await getDb().select().from(users).where(eq(users.email, input.email))).toHaveLength(0);
    const audit = await auditRowsOf(ctx.correlationId);
    // What was attempted on what: a new user, with the e-mail and role asked for, never the password.
    expect(audit).toMatchObject([{ action: "user.create", outcome: "denied", actorEmail: ctx.actor.email, targetType: "user", params: { attempted: { email: input.email, role: "operator" } } }]);
    expect(JSON.stringify(audit)).not.toContain(input.password);
  });

  it("reports field errors for invalid input and a taken e-mail", async () => {
    const ctx = await actorContext("admin");
    const bad = await createUser({ ctx, input: { email: "not-an-email", name: "", role: "root", password: "short" } }).catch((e: ServiceError) => e);
    expect(bad).toBeInstanceOf(ServiceError);
    expect(Object.keys((bad as ServiceError).fieldErrors ?? {}).sort()).toEqual(["email", "name", "password", "role"]);

    const input = validInput();
    await createUser({ ctx, input });
    await expect(createUser({ ctx, input })).rejects.toMatchObject({ code: "conflict", fieldErrors: { email: [expect.any(String)] } });
    expect((await auditRowsOf(ctx.correlationId)).map((r) => r.outcome)).toEqual(["failure", "success", "failure"]);
  });
});

describe("updateUser", () => {
  it("changes the role and disables, auditing before and after", async () => {
    const ctx = await actorContext("admin");
    const user = await createUser({ ctx, input: validInput() });
    await updateUser({ ctx, input: { userId: user.id, role: "viewer", disabled: true } });
    const [stored] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(stored).toMatchObject({ role: "viewer", disabledAt: expect.any(Date) });
    const audit = await auditRowsOf(ctx.correlationId);
    expect(audit[1]).toMatchObject({ action: "user.update", outcome: "success", params: { from: { role: "operator", disabled: false }, to: { role: "viewer", disabled: true } } });
  });

  it("refuses a viewer and leaves the user unchanged", async () => {
    const admin = await actorContext("admin");
    const user = await createUser({ ctx: admin, input: validInput() });
    const ctx = await actorContext("viewer");
    await expect(updateUser({ ctx, input: { userId: user.id, role: "admin" } })).rejects.toMatchObject({ code: "forbidden" });
    const [stored] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(stored!.role).toBe("operator");
    expect(await auditRowsOf(ctx.correlationId)).toMatchObject([{ action: "user.update", outcome: "denied", targetType: "user", targetId: user.id, params: { attempted: { role: "admin" } } }]);
  });

  it("does not let an admin disable or demote themselves", async () => {
    const ctx = await actorContext("admin");
    await expect(updateUser({ ctx, input: { userId: ctx.actor.id, disabled: true } })).rejects.toMatchObject({ code: "conflict" });
    await expect(updateUser({ ctx, input: { userId: ctx.actor.id, role: "viewer" } })).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("changeOwnPassword", () => {
  it("needs the current password, then the new one signs in and the change is audited", async () => {
    const user = await createTestUser("viewer");
    const ctx = contextFor(user);
    await expect(changeOwnPassword({ ctx, input: { currentPassword: "wrong", newPassword: "brand-new-password", confirmPassword: "brand-new-password" } })).rejects.toMatchObject({
      fieldErrors: { currentPassword: [expect.any(String)] },
    });
    await expect(changeOwnPassword({ ctx, input: { currentPassword: TEST_PASSWORD, newPassword: "brand-new-password", confirmPassword: "other" } })).rejects.toMatchObject({
      fieldErrors: { confirmPassword: [expect.any(String)] },
    });
    await changeOwnPassword({ ctx, input: { currentPassword: TEST_PASSWORD, newPassword: "brand-new-password", confirmPassword: "brand-new-password" } });
    await expect(signIn({ input: { email: user.email, password: "brand-new-password" }, ip: null })).resolves.toMatchObject({ id: user.id });
    expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome])).toEqual([
      ["user.change_password", "failure"],
      ["user.change_password", "failure"],
      ["user.change_password", "success"],
    ]);
  });
});

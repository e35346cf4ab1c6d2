import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog } from "@/db/schema/audit-log";
import { createTestUser } from "@/db/test/factories";
import { signIn } from "@/lib/services/auth/sign-in";
import { testDatabaseUrl } from "@/db/test/database";

const run = promisify(execFile);
const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
  run(process.execPath, ["--import", "tsx", "scripts/reset-password.ts", ...args], {
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: "silent", ...extraEnv },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe("npm run reset-password", () => {
  it("sets the password from STEVEDORE_NEW_PASSWORD, or generates and prints one; audited as the system", async () => {
    const user = await createTestUser("admin");
    const given = await cli([user.email], { STEVEDORE_NEW_PASSWORD: "a-password-from-the-env" });
    expect(given).toMatchObject({ code: 0, stdout: expect.stringContaining(`password of ${user.email} reset`) });
    expect(given.stdout).not.toContain("a-password-from-the-env");
    await expect(signIn({ input: { email: user.email, password: "a-password-from-the-env" }, ip: null })).resolves.toMatchObject({ id: user.id });

    const generated = await cli([user.email]);
    const password = /new password \(shown only once\): (\S+)/.exec(generated.stdout)?.[1];
    expect(password).toBeDefined();
    await expect(signIn({ input: { email: user.email, password: password! }, ip: null })).resolves.toMatchObject({ id: user.id });
    const audit = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "user.reset_password"), eq(auditLog.targetId, user.id)));
    expect(audit).toMatchObject([{ actorType: "system", outcome: "success" }, { actorType: "system", outcome: "success" }]);
  }, 120_000);

  it("explains what went wrong: no e-mail, an unknown one, a too-short password", async () => {
    expect(await cli([])).toMatchObject({ code: 2, stderr: expect.stringContaining("usage: npm run reset-password -- <email>") });
    expect(await cli(["nobody@example.test"])).toMatchObject({ code: 1, stderr: expect.stringContaining("was not found") });
    const user = await createTestUser("viewer");
    expect(await cli([user.email], { STEVEDORE_NEW_PASSWORD: "short" })).toMatchObject({ code: 1, stderr: expect.stringContaining("STEVEDORE_NEW_PASSWORD: Use at least 12 characters.") });
  }, 120_000);
});

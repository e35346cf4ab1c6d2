import { randomBytes } from "node:crypto";
import { count } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema/users";
import { hashPassword } from "@/lib/auth/password";
import { emitAudit } from "../audit/emit";
import { systemContext } from "../context";
import { CreateUserInput } from "./create";

/**
 * First start: create the first admin from STEVEDORE_ADMIN_EMAIL/PASSWORD, or with a generated
 * password that is returned once so the launcher can print it. Does nothing once any user exists.
 */
export async function ensureFirstAdmin(opts: { email?: string; password?: string }): Promise<{ email: string; generatedPassword?: string } | null> {
  const ctx = systemContext();
  return getDb().transaction(async (tx) => {
    await tx.execute("lock table users in share row exclusive mode");
    const [{ n }] = (await tx.select({ n: count() }).from(users)) as [{ n: number }];
    if (n > 0) return null;
    const generatedPassword = opts.password ? undefined : randomBytes(12).toString("base64url");
    const data = CreateUserInput.parse({ email: opts.email ?? "admin@stevedore.local", name: "Administrator", role: "admin", password: opts.password ?? generatedPassword });
    const [user] = await tx.insert(users).values({ email: data.email, name: data.name, role: "admin", passwordHash: await hashPassword(data.password) }).returning();
    await emitAudit(tx, ctx, { action: "user.create", target: { type: "user", id: user!.id }, params: { email: data.email, role: "admin", firstAdmin: true } });
    return { email: data.email, generatedPassword };
  });
}

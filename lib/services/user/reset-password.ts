import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { signInThrottle } from "@/db/schema/sign-in-throttle";
import { users } from "@/db/schema/users";
import { hashPassword } from "@/lib/auth/password";
import { emitAudit } from "../audit/emit";
import { endUserSessions } from "../auth/sessions";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { Email, Password } from "./schemas";

export const ResetPasswordInput = z.object({ email: Email, password: Password.optional() });

/**
 * The way back in for a locked-out or forgotten admin (run on the server as `npm run reset-password`):
 * sets a new password (generated when none is given), clears the e-mail's sign-in locks, re-enables
 * nothing, and ends every session of the user.
 */
export async function resetPassword({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<{ email: string; generatedPassword?: string }> {
  await authorize(ctx, "user.manage", "user.reset_password", input);
  const data = await parseInput(ctx, "user.reset_password", ResetPasswordInput, input);
  const generatedPassword = data.password ? undefined : randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(data.password ?? generatedPassword!);
  return withTransaction(ctx, "user.reset_password", async (tx) => {
    const [user] = await tx.update(users).set({ passwordHash }).where(eq(users.email, data.email)).returning({ id: users.id, email: users.email, disabledAt: users.disabledAt });
    if (!user) throw notFound(`A user with e-mail ${data.email}`);
    const unlocked = await tx.delete(signInThrottle).where(eq(signInThrottle.email, user.email)).returning({ key: signInThrottle.key });
    const endedSessions = await endUserSessions(tx, user.id, "password_reset");
    await emitAudit(tx, ctx, {
      action: "user.reset_password",
      target: { type: "user", id: user.id },
      params: { email: user.email, generated: !!generatedPassword, unlockedAddresses: unlocked.length, endedSessions, disabled: !!user.disabledAt },
    });
    return { email: user.email, generatedPassword };
  });
}

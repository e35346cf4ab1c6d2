import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema/users";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { emitAudit } from "../audit/emit";
import { endUserSessions } from "../auth/sessions";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { parseInput, withTransaction } from "../verb";
import { Password } from "./schemas";

export const ChangePasswordInput = z
  .object({ currentPassword: z.string().min(1, { message: "Enter your current password." }), newPassword: Password, confirmPassword: z.string() })
  .refine((v) => v.newPassword === v.confirmPassword, { message: "The passwords do not match.", path: ["confirmPassword"] });

/** Any signed-in user changes their own password, proving they know the current one; their other sessions end. */
export async function changeOwnPassword({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<void> {
  if (ctx.actor.type !== "user" || !ctx.actor.id) throw new ServiceError("forbidden", "Only a signed-in user can change their password.");
  const data = await parseInput(ctx, "user.change_password", ChangePasswordInput, input);
  const newHash = await hashPassword(data.newPassword);
  await withTransaction(ctx, "user.change_password", async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, ctx.actor.id!)).for("update");
    if (!user || !(await verifyPassword(data.currentPassword, user.passwordHash))) {
      throw new ServiceError("invalid", "The current password is wrong.", { currentPassword: ["The current password is wrong."] });
    }
    await tx.update(users).set({ passwordHash: newHash }).where(eq(users.id, user.id));
    // Whoever else holds a session of this user (a copied cookie, a forgotten browser) is out now.
    const endedSessions = await endUserSessions(tx, user.id, "password_change", ctx.actor.sessionId);
    await emitAudit(tx, ctx, { action: "user.change_password", target: { type: "user", id: user.id }, params: { endedSessions } });
  });
}

import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema/users";
import { emitAudit } from "../audit/emit";
import { endUserSessions } from "../auth/sessions";
import type { ServiceContext } from "../context";
import { conflict, notFound } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { RoleInput } from "./schemas";

export const UpdateUserInput = z
  .object({
    userId: z.uuid({ message: "Unknown user." }),
    role: RoleInput.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined, { message: "Nothing to change." });

/** Changes a user's role and/or disables or re-enables the account. Admins cannot lock themselves out. */
export async function updateUser({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "user.manage", "user.update", input);
  const data = await parseInput(ctx, "user.update", UpdateUserInput, input);
  return withTransaction(ctx, "user.update", async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, data.userId)).for("update");
    if (!before) throw notFound("User");
    if (before.id === ctx.actor.id && (data.disabled === true || (data.role && data.role !== "admin"))) {
      throw conflict("You cannot disable yourself or remove your own admin role.");
    }
    const changes: Partial<typeof users.$inferInsert> = {};
    if (data.role !== undefined) changes.role = data.role;
    if (data.disabled !== undefined) changes.disabledAt = data.disabled ? (before.disabledAt ?? new Date()) : null;
    const [after] = await tx
      .update(users)
      .set(changes)
      .where(eq(users.id, data.userId))
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role, disabledAt: users.disabledAt });
    // A new role or a disabled account takes effect as a fresh sign-in: every session of the user ends.
    const disabled = !before.disabledAt && !!after!.disabledAt;
    const endedSessions = disabled || before.role !== after!.role ? await endUserSessions(tx, before.id, disabled ? "disabled" : "role_change") : 0;
    await emitAudit(tx, ctx, {
      action: "user.update",
      target: { type: "user", id: before.id },
      params: { email: before.email, from: { role: before.role, disabled: !!before.disabledAt }, to: { role: after!.role, disabled: !!after!.disabledAt }, endedSessions },
    });
    return after!;
  });
}

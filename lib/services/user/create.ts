import { z } from "zod";
import { users } from "@/db/schema/users";
import { hashPassword } from "@/lib/auth/password";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { Email, Password, RoleInput } from "./schemas";

export const CreateUserInput = z.object({
  email: Email,
  name: z.string().trim().min(1, { message: "Enter a name." }).max(100),
  role: RoleInput,
  password: Password,
});

export type PublicUser = { id: string; email: string; name: string; role: (typeof users.$inferSelect)["role"]; disabledAt: Date | null };

export async function createUser({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<PublicUser> {
  await authorize(ctx, "user.manage", "user.create", input);
  const data = await parseInput(ctx, "user.create", CreateUserInput, input);
  const passwordHash = await hashPassword(data.password);
  return withTransaction(ctx, "user.create", async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: data.email, name: data.name, role: data.role, passwordHash })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role, disabledAt: users.disabledAt });
    if (!user) throw conflict("A user with this e-mail already exists.", { email: ["A user with this e-mail already exists."] });
    await emitAudit(tx, ctx, { action: "user.create", target: { type: "user", id: user.id }, params: { email: user.email, role: user.role } });
    return user;
  });
}

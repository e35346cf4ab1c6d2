import { eq } from "drizzle-orm";
import { z } from "zod";
import { signInThrottle } from "@/db/schema/sign-in-throttle";
import { users } from "@/db/schema/users";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";

export const UnlockUserInput = z.object({ userId: z.uuid({ message: "Unknown user." }) });

/** Clears every failed-sign-in count and lock of a user's e-mail, from every address. */
export async function unlockUser({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<{ cleared: number }> {
  await authorize(ctx, "user.manage", "user.unlock", input);
  const data = await parseInput(ctx, "user.unlock", UnlockUserInput, input);
  return withTransaction(ctx, "user.unlock", async (tx) => {
    const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, data.userId));
    if (!user) throw notFound("User");
    const cleared = await tx.delete(signInThrottle).where(eq(signInThrottle.email, user.email)).returning({ key: signInThrottle.key });
    await emitAudit(tx, ctx, { action: "user.unlock", target: { type: "user", id: user.id }, params: { email: user.email, addresses: cleared.length } });
    return { cleared: cleared.length };
  });
}

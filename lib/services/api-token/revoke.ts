import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { apiTokens } from "@/db/schema/api-tokens";
import { can } from "@/lib/auth/rbac";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";

export const RevokeTokenInput = z.object({ tokenId: z.uuid({ message: "Unknown token." }) });

/** An admin revokes any token; anyone else only their own (someone else's is "not found", not "forbidden"). */
export async function revokeApiToken({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "token.own", "token.revoke", input);
  const data = await parseInput(ctx, "token.revoke", RevokeTokenInput, input);
  const ownOnly = can(ctx.actor.role, "token.manage") ? undefined : ctx.actor.id ? eq(apiTokens.userId, ctx.actor.id) : sql`false`;
  return withTransaction(ctx, "token.revoke", async (tx) => {
    const [token] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, data.tokenId), isNull(apiTokens.revokedAt), ownOnly))
      .returning({ id: apiTokens.id, name: apiTokens.name });
    if (!token) throw notFound("Active token");
    await emitAudit(tx, ctx, { action: "token.revoke", target: { type: "api_token", id: token.id }, params: { name: token.name } });
    return token;
  });
}

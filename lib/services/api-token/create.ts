import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { apiTokens } from "@/db/schema/api-tokens";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";

export const TOKEN_PREFIX = "sv_";

export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export const CreateTokenInput = z.object({
  name: z.string().trim().min(1, { message: "Name the token (e.g. nightly-backup)." }).max(100),
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
});

/** Creates a token that acts as its creator. The secret is returned once; only its hash is stored. */
export async function createApiToken({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "token.manage", "token.create", input);
  const data = await parseInput(ctx, "token.create", CreateTokenInput, input);
  if (ctx.actor.type !== "user" || !ctx.actor.id) throw new ServiceError("forbidden", "Tokens are created by signed-in users.");
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return withTransaction(ctx, "token.create", async (tx) => {
    const [token] = await tx
      .insert(apiTokens)
      .values({
        userId: ctx.actor.id!,
        name: data.name,
        tokenHash: hashToken(secret),
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
      })
      .returning({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, expiresAt: apiTokens.expiresAt });
    await emitAudit(tx, ctx, { action: "token.create", target: { type: "api_token", id: token!.id }, params: { name: data.name, expiresAt: token!.expiresAt } });
    return { ...token!, secret };
  });
}

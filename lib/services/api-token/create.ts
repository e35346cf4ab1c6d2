import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { apiTokens } from "@/db/schema/api-tokens";
import { roleAtMost } from "@/lib/auth/rbac";
import { emitAudit, emitAuditNow } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { RoleInput } from "../user/schemas";
import { authorize, parseInput, withTransaction } from "../verb";

export const TOKEN_PREFIX = "sv_";

export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export const CreateTokenInput = z.object({
  name: z.string().trim().min(1, { message: "Name the token (e.g. nightly-backup)." }).max(100),
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
  /** At most the creator's role; omitted, the creator's role. */
  role: z.preprocess((v) => (v === "" || v === null ? undefined : v), RoleInput.optional()),
});

/**
 * Creates a token that acts as its creator, with the role given (never above the creator's). The
 * secret is returned once; only its hash is stored.
 */
export async function createApiToken({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "token.own", "token.create", input);
  const data = await parseInput(ctx, "token.create", CreateTokenInput, input);
  if (ctx.actor.type !== "user" || !ctx.actor.id || !ctx.actor.role) throw new ServiceError("forbidden", "Tokens are created by signed-in users.");
  const role = data.role ?? ctx.actor.role;
  if (!roleAtMost(role, ctx.actor.role)) {
    await emitAuditNow(ctx, { action: "token.create", target: { type: "api_token", id: null }, params: { attempted: { name: data.name, role } }, outcome: "denied", error: `role ${role} is above the creator's ${ctx.actor.role}` });
    throw new ServiceError("invalid", "Some fields are invalid.", { role: [`A token can have at most your own role (${ctx.actor.role}).`] });
  }
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return withTransaction(ctx, "token.create", async (tx) => {
    const [token] = await tx
      .insert(apiTokens)
      .values({
        userId: ctx.actor.id!,
        name: data.name,
        role,
        tokenHash: hashToken(secret),
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
      })
      .returning({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, prefix: apiTokens.prefix, expiresAt: apiTokens.expiresAt });
    await emitAudit(tx, ctx, { action: "token.create", target: { type: "api_token", id: token!.id }, params: { name: data.name, role, expiresAt: token!.expiresAt } });
    return { ...token!, secret };
  });
}

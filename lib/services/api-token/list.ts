import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiTokens } from "@/db/schema/api-tokens";
import { users } from "@/db/schema/users";
import { can, lowerRole } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";

/** Every token for an admin; one's own for anyone else allowed tokens. */
export async function listApiTokens({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "token.own") || !ctx.actor.id) throw forbidden();
  const rows = await getDb()
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      owner: users.email,
      ownerRole: users.role,
      tokenRole: apiTokens.role,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(can(ctx.actor.role, "token.manage") ? undefined : eq(apiTokens.userId, ctx.actor.id))
    .orderBy(desc(apiTokens.createdAt));
  // `role` is what the token was given; `effectiveRole` what it may do now, under its owner's role.
  return rows.map(({ ownerRole, tokenRole, ...t }) => ({ ...t, role: tokenRole ?? ownerRole, effectiveRole: lowerRole(tokenRole ?? ownerRole, ownerRole) }));
}

import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiTokens } from "@/db/schema/api-tokens";
import { users } from "@/db/schema/users";
import { lowerRole } from "@/lib/auth/rbac";
import type { Actor } from "../context";
import { hashToken, TOKEN_PREFIX } from "./create";

/**
 * Resolves a bearer secret to the actor it stands for: its owner, while token and owner are active,
 * with the token's role capped by the owner's current one (a demoted owner's tokens narrow with them).
 */
export async function authenticateApiToken(secret: string): Promise<Actor | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const db = getDb();
  const [row] = await db
    .select({ tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt, userId: users.id, email: users.email, name: users.name, ownerRole: users.role, tokenRole: apiTokens.role })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, hashToken(secret)),
        isNull(apiTokens.revokedAt),
        isNull(users.disabledAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
      ),
    );
  if (!row) return null;
  // "Last used" to the minute is enough, and saves a write on every request.
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiTokens.id, row.tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`))));
  return { type: "token", id: row.userId, email: row.email, name: row.name, role: lowerRole(row.tokenRole ?? row.ownerRole, row.ownerRole), tokenId: row.tokenId };
}

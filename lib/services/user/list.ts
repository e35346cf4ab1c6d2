import { asc, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema/users";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { can } from "@/lib/auth/rbac";

export async function listUsers({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "user.manage")) throw forbidden();
  return getDb()
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      lastSignInAt: users.lastSignInAt,
      createdAt: users.createdAt,
      /** Until when sign-ins for this e-mail are locked from at least one address; null if none is. */
      lockedUntil: sql<Date | null>`(select max(t.locked_until) from sign_in_throttle t where t.email = "users"."email" and t.locked_until > now())`.mapWith(
        (v: string | null) => (v ? new Date(v) : null),
      ),
    })
    .from(users)
    .orderBy(asc(users.createdAt));
}

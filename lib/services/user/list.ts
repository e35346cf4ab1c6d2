import { asc } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema/users";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { can } from "@/lib/auth/rbac";

export async function listUsers({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "user.manage")) throw forbidden();
  return getDb()
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, disabledAt: users.disabledAt, lastSignInAt: users.lastSignInAt, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.createdAt));
}

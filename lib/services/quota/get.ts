import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { roleQuotas } from "@/db/schema/quotas";
import { ROLES, users, type Role } from "@/db/schema/users";
import { can } from "@/lib/auth/rbac";
import { NO_LIMITS, type Limits } from "@/lib/resources/quotas";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";

export type RoleQuotaView = Limits & { role: Role; updatedAt: Date | null; updatedBy: string | null };

/** Every role's limits in role order, a role never set with no limits; who changed them last. */
export async function readQuotas(db: Executor = getDb()): Promise<RoleQuotaView[]> {
  const rows = await db
    .select({
      role: roleQuotas.role,
      maxConcurrentOperations: roleQuotas.maxConcurrentOperations,
      maxPointsPerCollection: roleQuotas.maxPointsPerCollection,
      maxCollections: roleQuotas.maxCollections,
      updatedAt: roleQuotas.updatedAt,
      updatedBy: users.email,
    })
    .from(roleQuotas)
    .leftJoin(users, eq(users.id, roleQuotas.updatedBy));
  return ROLES.map((role) => rows.find((r) => r.role === role) ?? { role, ...NO_LIMITS, updatedAt: null, updatedBy: null });
}

/** `GET /api/v1/quotas` and Settings → Quotas: every role may read the limits, so an operator can see what refused them. */
export async function getQuotas({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "quota.read")) throw forbidden();
  return readQuotas();
}

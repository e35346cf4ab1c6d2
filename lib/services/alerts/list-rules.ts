import { asc } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alertRules } from "@/db/schema/alerts";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";

/** Every alert rule by name (admins: rules are configuration; at most a few thousand). */
export async function listAlertRules({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "alert.configure")) throw forbidden();
  return getDb().select().from(alertRules).orderBy(asc(alertRules.name)).limit(5000);
}

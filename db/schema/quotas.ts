import { bigint, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { updatedAt } from "./columns";
import { ROLES, users } from "./users";

/** Limits per role, set by admins under Settings; a null limit is no limit. */
export const roleQuotas = pgTable("role_quotas", {
  role: text("role", { enum: ROLES }).primaryKey(),
  /** Operations one user of the role may have under way at once. */
  maxConcurrentOperations: integer("max_concurrent_operations"),
  /** Points one collection may hold after an operation a user of the role starts. */
  maxPointsPerCollection: bigint("max_points_per_collection", { mode: "number" }),
  /** Collections a user of the role may have created (and not deleted). */
  maxCollections: integer("max_collections"),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: updatedAt(),
});

export type RoleQuota = typeof roleQuotas.$inferSelect;

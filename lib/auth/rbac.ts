import { ROLES, type Role } from "@/db/schema/users";

export type { Role };

/** The one permission matrix. Every service verb checks it; pages only use it to hide controls. */
// quota.read: everyone may see the limits that apply to them; quota.manage sets them.
const VIEWER = ["audit.read", "collection.read", "operation.read", "health.read", "quota.read"] as const;
const OPERATOR = [
  ...VIEWER,
  "operation.start",
  "operation.cancel",
  "document.retry",
  "alert.acknowledge",
  // Silences and maintenance windows: hold notifications while someone works on it (issue 13 item 6).
  "silence.manage",
  // Golden queries: what every reindex of a collection must still find (not an operation).
  "golden_query.manage",
  // A collection's backup schedule, retention and restore drills (each run is an operation).
  "backup_schedule.manage",
  // Create, list and revoke one's own API tokens; token.manage is everyone's.
  "token.own",
] as const;
const ADMIN = [
  ...OPERATOR,
  "collection.delete",
  "collection.clear",
  "backup.delete",
  "user.manage",
  "token.manage",
  "alert.configure",
  "quota.manage",
  // A collection's reindex policy: validation thresholds, approval and rollback windows.
  "collection.configure",
] as const;

export type Permission = (typeof ADMIN)[number];

const MATRIX: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(VIEWER),
  operator: new Set(OPERATOR),
  admin: new Set(ADMIN),
};

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role ? MATRIX[role].has(permission) : false;
}

export function permissionsOf(role: Role): Permission[] {
  return [...MATRIX[role]];
}

/** Whether `role` grants no more than `limit` (roles are ordered viewer < operator < admin). */
export function roleAtMost(role: Role, limit: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(limit);
}

/** The narrower of two roles: what a token may do is both its own role and its creator's. */
export function lowerRole(a: Role, b: Role): Role {
  return roleAtMost(a, b) ? a : b;
}

/** The roles an actor may hand on (to a token): their own and every role below it. */
export function rolesUpTo(limit: Role): Role[] {
  return ROLES.filter((r) => roleAtMost(r, limit));
}

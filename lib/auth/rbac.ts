import type { Role } from "@/db/schema/users";

export type { Role };

/** The one permission matrix. Every service verb checks it; pages only use it to hide controls. */
const VIEWER = ["audit.read", "collection.read", "operation.read", "health.read"] as const;
const OPERATOR = [
  ...VIEWER,
  "operation.start",
  "operation.cancel",
  "document.retry",
  "alert.acknowledge",
] as const;
const ADMIN = [
  ...OPERATOR,
  "collection.delete",
  "collection.clear",
  "user.manage",
  "token.manage",
  "alert.configure",
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

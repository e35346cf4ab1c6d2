import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export const ACTOR_TYPES = ["user", "token", "system", "anonymous"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Append-only. Success entries are written in the transaction of the change they record. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid("actor_id"),
    actorEmail: text("actor_email").notNull(),
    actorType: text("actor_type", { enum: ACTOR_TYPES }).notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    params: jsonb("params").$type<Record<string, unknown>>(),
    outcome: text("outcome", { enum: AUDIT_OUTCOMES }).notNull(),
    error: text("error"),
    ip: text("ip"),
    correlationId: text("correlation_id"),
  },
  // Listings order by (at desc, id desc): each filter has an index ending in (at, id), scanned backwards.
  // (An explicit DESC index would be DESC NULLS LAST, which an ORDER BY ... DESC cannot use.)
  (t) => [
    index("audit_log_at_idx").on(t.at, t.id),
    index("audit_log_actor_at_idx").on(t.actorEmail, t.at, t.id),
    index("audit_log_action_at_idx").on(t.action, t.at, t.id),
    index("audit_log_target_at_idx").on(t.targetType, t.targetId, t.at, t.id),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;

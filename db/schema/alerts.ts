import { sql } from "drizzle-orm";
import { boolean, check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { users } from "./users";

export const ALERT_SEVERITIES = ["info", "warning", "critical"] as const;
export const ALERT_OPERATORS = ["gt", "lt", "gte", "lte", "eq"] as const;
export const ALERT_STATUSES = ["pending", "firing", "acknowledged", "resolved"] as const;
export const CHANNEL_TYPES = ["email", "slack", "webhook"] as const;

export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export type AlertOperator = (typeof ALERT_OPERATORS)[number];
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/**
 * Level i is told `delaySeconds` after level i - 1 (level 0 after its own delay, usually 0), unless the alert is acknowledged by then.
 * It tells its channels and its users (emailed at their account address); `userIds` is absent from levels written before users could be named.
 */
export type EscalationLevel = { channelIds: string[]; userIds?: string[]; delaySeconds: number };

/** Who hears of a firing alert, and when, while no one acknowledges it (inngest/functions/escalate-alert.ts). */
export const escalationPolicies = pgTable(
  "escalation_policies",
  {
    id: id(),
    name: text("name").notNull(),
    levels: jsonb("levels").$type<EscalationLevel[]>().notNull(),
    /** After the last level, tell it again this many times (0: once only), each its delay after the one before. */
    repeatLastLevel: integer("repeat_last_level").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("escalation_policies_name_key").on(t.name)],
);

/**
 * A condition worth telling someone about: a source of series (lib/alerts/sources.ts) filtered by
 * label matchers, compared with a threshold, true for `forSeconds` before it fires. `builtinKey`
 * marks a default rule seeded once (an admin may change or disable it; a deleted one stays deleted).
 */
export const alertRules = pgTable(
  "alert_rules",
  {
    id: id(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["metric", "event"] }).notNull(),
    source: text("source").notNull(),
    /** Exact label matches, e.g. { collection: "docs" }; empty matches every series. */
    matchers: jsonb("matchers").$type<Record<string, string>>().notNull().default({}),
    operator: text("operator", { enum: ALERT_OPERATORS }).notNull().default("gt"),
    threshold: doublePrecision("threshold").notNull().default(0),
    forSeconds: integer("for_seconds").notNull().default(0),
    severity: text("severity", { enum: ALERT_SEVERITIES }).notNull().default("warning"),
    /** With {{label}}, {{value}}, {{threshold}} and {{rule}} placeholders. */
    description: text("description").notNull().default(""),
    /** The notification channels told when an alert of this rule fires or resolves. */
    channelIds: jsonb("channel_ids").$type<string[]>().notNull().default([]),
    /** Escalated while firing and unacknowledged, beside the channels above. */
    escalationPolicyId: uuid("escalation_policy_id").references(() => escalationPolicies.id, { onDelete: "set null" }),
    enabled: boolean("enabled").notNull().default(true),
    builtinKey: text("builtin_key"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("alert_rules_name_key").on(t.name), uniqueIndex("alert_rules_builtin_key").on(t.builtinKey)],
);

/** One row per fingerprint (rule + labels): a condition that returns after it resolved fires the same row again. */
export const alerts = pgTable(
  "alerts",
  {
    id: id(),
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    fingerprint: text("fingerprint").notNull(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    status: text("status", { enum: ALERT_STATUSES }).notNull(),
    value: doublePrecision("value").notNull(),
    summary: text("summary").notNull(),
    /** When the condition was last seen to start holding (the "for" counts from here). */
    activeSince: timestamp("active_since", { withTimezone: true }).notNull(),
    firedAt: timestamp("fired_at", { withTimezone: true }),
    /** How many times this fingerprint has fired; part of each notification's id so a re-fire is told again. */
    fireCount: integer("fire_count").notNull().default(0),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgedBy: text("acknowledged_by"),
    ackReason: text("ack_reason"),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedBy: text("resolved_by"),
    resolveReason: text("resolve_reason"),
    lastEvaluatedAt: timestamp("last_evaluated_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("alerts_fingerprint_key").on(t.fingerprint), index("alerts_rule_idx").on(t.ruleId), index("alerts_status_idx").on(t.status)],
);

/** Each change of an alert's status, written in the same transaction as the change: its history, and the dashboard's MTTA / MTTR. */
export const alertTransitions = pgTable(
  "alert_transitions",
  {
    id: id(),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    /** null: the alert's first state. */
    fromStatus: text("from_status", { enum: ALERT_STATUSES }),
    toStatus: text("to_status", { enum: ALERT_STATUSES }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** Who made the change (an email), or null for the evaluator. */
    by: text("by"),
    reason: text("reason"),
  },
  (t) => [index("alert_transitions_alert_idx").on(t.alertId, t.at), index("alert_transitions_at_idx").on(t.at), index("alert_transitions_rule_idx").on(t.ruleId, t.at)],
);

export type EmailChannelConfig = { to: string[] };
export type SlackChannelConfig = { url: string };
export type WebhookChannelConfig = { url: string; secret: string };
export type ChannelConfig = EmailChannelConfig | SlackChannelConfig | WebhookChannelConfig;

export const notificationChannels = pgTable(
  "notification_channels",
  {
    id: id(),
    name: text("name").notNull(),
    type: text("type", { enum: CHANNEL_TYPES }).notNull(),
    config: jsonb("config").$type<ChannelConfig>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("notification_channels_name_key").on(t.name)],
);

/** Every attempt to deliver a notification (or a test), failed ones included: the delivery log. */
export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: id(),
    /** The channel told, or null for a user named by an escalation level (userId, recipient). */
    channelId: uuid("channel_id").references(() => notificationChannels.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    /** The address a user was emailed at (kept when the user is deleted or changes address). */
    recipient: text("recipient"),
    alertId: uuid("alert_id").references(() => alerts.id, { onDelete: "cascade" }),
    /** Every alert this attempt told of: one, or a rule's alerts grouped into one message (alertId is the first). */
    alertIds: jsonb("alert_ids").$type<string[]>().notNull().default([]),
    /** The notification this attempt belongs to (its event id): attempts of one notification share it. */
    notificationKey: text("notification_key").notNull(),
    kind: text("kind", { enum: ["firing", "resolved", "test"] }).notNull(),
    attempt: integer("attempt").notNull(),
    status: text("status", { enum: ["sent", "failed"] }).notNull(),
    latencyMs: integer("latency_ms").notNull(),
    responseCode: integer("response_code"),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [
    index("alert_deliveries_channel_idx").on(t.channelId, t.createdAt),
    index("alert_deliveries_alert_idx").on(t.alertId),
    index("alert_deliveries_key_idx").on(t.notificationKey),
    check("alert_deliveries_target_check", sql`${t.channelId} is not null or ${t.recipient} is not null`),
  ],
);

export type EscalationPolicy = typeof escalationPolicies.$inferSelect;
export type AlertRule = typeof alertRules.$inferSelect;
export type NewAlertRule = typeof alertRules.$inferInsert;
export type Alert = typeof alerts.$inferSelect;
export type NewAlert = typeof alerts.$inferInsert;
export type NotificationChannel = typeof notificationChannels.$inferSelect;
export type NewNotificationChannel = typeof notificationChannels.$inferInsert;
export type AlertDelivery = typeof alertDeliveries.$inferSelect;
export type AlertTransition = typeof alertTransitions.$inferSelect;

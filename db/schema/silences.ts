import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { alerts, notificationChannels } from "./alerts";
import { collections } from "./collections";
import { createdAt, id, updatedAt } from "./columns";
import { operations } from "./operations";
import { users } from "./users";

export const MATCHER_OPS = ["=", "!=", "=~", "!~"] as const;
export type MatcherOp = (typeof MATCHER_OPS)[number];
/** One condition on an alert's labels (its rule's labels plus `alertname` and `severity`); a regex must match the whole value. */
export type Matcher = { label: string; op: MatcherOp; value: string };

/** Weekly recurrence: on these days (0 = Sunday), from `from` to `to` ("HH:MM", `to` before `from` runs past midnight), in `timezone`. */
export type WeeklyRecurrence = { days: number[]; from: string; to: string; timezone: string };

/** What a silence said when its reminder went out: to which channels (or the creator), and how each fared. */
export type SilenceReminder = { sentAt: string; forEndsAt: string; deliveries: { to: string; ok: boolean; responseCode: number | null; error: string | null }[] };

/**
 * Holds the notifications of every alert its matchers match while it is active: from `startsAt`
 * to `endsAt`, and, when recurring, only inside the weekly ranges in between. Expiring one sets
 * `endsAt` to now (kept for the record, as Alertmanager does).
 */
export const silences = pgTable(
  "silences",
  {
    id: id(),
    matchers: jsonb("matchers").$type<Matcher[]>().notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    recurrence: jsonb("recurrence").$type<WeeklyRecurrence>(),
    comment: text("comment").notNull(),
    /** Told (besides the creator) when a long silence is about to end. */
    reminderChannelIds: jsonb("reminder_channel_ids").$type<string[]>().notNull().default([]),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdByEmail: text("created_by_email").notNull(),
    expiredBy: text("expired_by"),
    reminder: jsonb("reminder").$type<SilenceReminder>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("silences_ends_idx").on(t.endsAt)],
);

/**
 * A collection's (or, with no collection, everything's) planned quiet: scheduled, weekly recurring,
 * or opened by an operation (`operationId`) and closed when it ends, however it ends. An automatic
 * window holds only while its operation is under way, whatever `closedAt` says.
 */
export const maintenanceWindows = pgTable(
  "maintenance_windows",
  {
    id: id(),
    name: text("name").notNull(),
    collectionId: uuid("collection_id").references(() => collections.id, { onDelete: "cascade" }),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    /** Null for an automatic window: it lasts as long as its operation. */
    endsAt: timestamp("ends_at", { withTimezone: true }),
    recurrence: jsonb("recurrence").$type<WeeklyRecurrence>(),
    comment: text("comment").notNull().default(""),
    operationId: uuid("operation_id").references(() => operations.id, { onDelete: "cascade" }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("maintenance_windows_operation_key").on(t.operationId), index("maintenance_windows_open_idx").on(t.closedAt)],
);

/**
 * A notification held back by a silence or window instead of sent: visible while held, and, once
 * nothing holds its alert any more, released (told once if the alert still fires) or dropped.
 * It was for a channel, or for a user an escalation level names: exactly one of the two.
 */
export const heldNotifications = pgTable(
  "held_notifications",
  {
    id: id(),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").references(() => notificationChannels.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["firing", "resolved"] }).notNull(),
    fireCount: integer("fire_count").notNull(),
    /** The held notification's event id: a retried step holds it once. */
    notificationKey: text("notification_key").notNull(),
    silenceId: uuid("silence_id").references(() => silences.id, { onDelete: "set null" }),
    windowId: uuid("window_id").references(() => maintenanceWindows.id, { onDelete: "set null" }),
    heldAt: timestamp("held_at", { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp("released_at", { withTimezone: true }),
    /** "told" (sent once after the end) or why it was dropped. */
    outcome: text("outcome"),
  },
  (t) => [
    uniqueIndex("held_notifications_key").on(t.notificationKey),
    index("held_notifications_open_idx").on(t.releasedAt),
    index("held_notifications_alert_idx").on(t.alertId),
    check("held_notifications_channel_or_user", sql`num_nonnulls(${t.channelId}, ${t.userId}) = 1`),
  ],
);

export type Silence = typeof silences.$inferSelect;
export type NewSilence = typeof silences.$inferInsert;
export type MaintenanceWindow = typeof maintenanceWindows.$inferSelect;
export type NewMaintenanceWindow = typeof maintenanceWindows.$inferInsert;
export type HeldNotification = typeof heldNotifications.$inferSelect;

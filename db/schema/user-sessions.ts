import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { users } from "./users";

export const SESSION_END_REASONS = ["sign_out", "password_change", "role_change", "disabled", "password_reset", "idle", "expired"] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/**
 * One row per browser sign-in. The session cookie (a JWT) carries only this id and the user id;
 * every request checks the row, so ending it here ends the cookie everywhere it was copied to.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ip: text("ip"),
    createdAt: createdAt(),
    /** Advanced at most once a minute by requests; the idle timeout counts from here. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    endReason: text("end_reason", { enum: SESSION_END_REASONS }),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId)],
);

export type UserSession = typeof userSessions.$inferSelect;

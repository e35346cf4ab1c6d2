import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Failed sign-in counter per e-mail (known or not, so lock-outs reveal nothing about accounts). */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
});

export type SignInThrottle = typeof signInThrottle.$inferSelect;

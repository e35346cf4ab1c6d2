import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Failed sign-in counter per e-mail (known or not, so lock-outs reveal nothing about accounts) and
 * client address: `key` is both, so failures from one address never lock the account elsewhere.
 */
export const signInThrottle = pgTable(
  "sign_in_throttle",
  {
    key: text("key").primaryKey(),
    email: text("email").notNull().default(""),
    ip: text("ip"),
    failures: integer("failures").notNull().default(0),
    lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
  },
  (t) => [index("sign_in_throttle_email_idx").on(t.email)],
);

export type SignInThrottle = typeof signInThrottle.$inferSelect;

import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * Sign-in attempt counters in fixed windows, shared by every app instance (a per-process count
 * would make N instances N times looser). One row per (scope, subject) key; rows whose window
 * has ended are deleted by the cleanup.
 */
export const loginThrottle = pgTable(
  "login_throttle",
  {
    key: text("key").primaryKey(),
    count: integer("count").notNull(),
    windowEndsAt: timestamp("window_ends_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("login_throttle_window_idx").on(t.windowEndsAt)],
);

/** Addresses (IPv6: their /64) a user has signed in from: the account-wide cap spares them. */
export const loginKnownAddresses = pgTable(
  "login_known_addresses",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    address: text("address").notNull(),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.address] }), index("login_known_addresses_last_idx").on(t.lastSuccessAt)],
);

import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { hosts } from "./hosts";
import { users } from "./users";

export const REENROLLMENT_STATUSES = ["pending", "approved", "rejected", "claimed"] as const;
export type ReenrollmentStatus = (typeof REENROLLMENT_STATUSES)[number];

/**
 * A request to re-enroll a known machine without its current agent token: it waits here until an
 * admin approves or rejects it on the host page. Only the requester knows the id (its `pendingId`)
 * and the enrollment token it used, and it needs both to collect the new agent token once approved.
 */
export const pendingReenrollments = pgTable(
  "pending_reenrollments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    hostId: uuid("host_id")
      .notNull()
      .references(() => hosts.id, { onDelete: "cascade" }),
    hostname: text("hostname").notNull(),
    sourceAddress: text("source_address").notNull(),
    /** Hash of the enrollment token the request came with: the second half of the claim. */
    enrollmentTokenHash: text("enrollment_token_hash").notNull(),
    status: text("status").$type<ReenrollmentStatus>().notNull().default("pending"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("pending_reenrollments_host_idx").on(t.hostId, t.createdAt)],
);

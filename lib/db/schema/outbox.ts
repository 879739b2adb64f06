import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { alertEvents, notificationChannels } from "./alerts";

export const OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * The notification outbox: one row per (event, channel, transition), written in the
 * evaluation's transaction and sent by whichever instance claims it. The row is also the
 * delivery log the dashboard shows: attempts, the last answer (status and a short error
 * class, never a reply body), and whether it was sent or given up.
 */
export const notificationOutbox = pgTable(
  "notification_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => alertEvents.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => notificationChannels.id, { onDelete: "cascade" }),
    state: text("state", { enum: ["firing", "resolved"] }).notNull(),
    /** 0: the transition itself; n: the n-th repeat notice of a firing event. */
    repeat: integer("repeat").notNull().default(0),
    /**
     * Every event the message tells of (a grouped message lists several hosts of one rule);
     * `event_id` is the first of them and the key, so a group is queued once per channel.
     */
    eventIds: uuid("event_ids").array().notNull().default(sql`'{}'::uuid[]`),
    /** The AlertNotification as decided by the run, so a retry sends what the first attempt sent. */
    message: jsonb("message").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    /** Attempts started; counted at claim time, so a sender that crashed mid-send used one up. */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** While in the future, one sender holds the row; after it, anyone may claim it again. */
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    /** Which claim may finish the row: a sender whose lease ran out cannot overwrite a newer claim. */
    claimToken: uuid("claim_token"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    lastDurationMs: integer("last_duration_ms"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The idempotency key: a transition is queued for a channel once, whoever evaluates.
    uniqueIndex("notification_outbox_key_idx").on(t.eventId, t.channelId, t.state, t.repeat),
    index("notification_outbox_events_idx").using("gin", t.eventIds),
    index("notification_outbox_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

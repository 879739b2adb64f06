import { sql } from "drizzle-orm";
import { type AnyPgColumn, bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { ALERT_RULE_KINDS, SEVERITIES, THRESHOLD_OPS, type Severity } from "@/lib/alerts/types";
import { hosts } from "./hosts";
import { users } from "./users";

export const alertRules = pgTable("alert_rules", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  kind: text("kind", { enum: ALERT_RULE_KINDS }).notNull(),
  metric: text("metric"),
  op: text("op", { enum: THRESHOLD_OPS }),
  threshold: doublePrecision("threshold"),
  forSeconds: integer("for_seconds").notNull().default(0),
  /** null (and no selector): the rule applies to every host. */
  hostId: uuid("host_id").references(() => hosts.id, { onDelete: "cascade" }),
  /** A label selector (lib/hosts/selector.ts) scoping the rule instead of one host; null: not selector-scoped. */
  selector: text("selector"),
  severity: text("severity", { enum: SEVERITIES }).notNull(),
  enabled: boolean("enabled").notNull().default(true),
  /** Kind-specific settings (drift: target and pattern). */
  config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
  /** Channels this rule notifies; empty: routes, then the default channels (lib/alerts/routing.ts). */
  channelIds: jsonb("channel_ids").$type<string[]>().notNull().default([]),
  /** Re-notify a firing, unacknowledged event this often; null: once. */
  repeatIntervalSeconds: integer("repeat_interval_seconds"),
  /** While this rule fires on a host, this one is suppressed there (host down hides its CPU alert). */
  dependsOnRuleId: uuid("depends_on_rule_id").references((): AnyPgColumn => alertRules.id, { onDelete: "set null" }),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const alertEvents = pgTable(
  "alert_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    hostId: uuid("host_id")
      .notNull()
      .references(() => hosts.id, { onDelete: "cascade" }),
    state: text("state", { enum: ["firing", "resolved"] }).notNull(),
    value: doublePrecision("value"),
    message: text("message"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    ackedBy: uuid("acked_by").references(() => users.id, { onDelete: "set null" }),
    ackedAt: timestamp("acked_at", { withTimezone: true }),
    /** Logged while a silence covered it: no notification was sent. */
    silenced: boolean("silenced").notNull().default(false),
    /** Logged while a maintenance window covered the host: no notification was sent. */
    maintenance: boolean("maintenance").notNull().default(false),
    /** Logged while the rule it depends on fired on the host: no notification was sent. */
    suppressed: boolean("suppressed").notNull().default(false),
    /** When channels were last told it fires (the first notice or a repeat); null: never. */
    lastNotifiedAt: timestamp("last_notified_at", { withTimezone: true }),
    /** Repeat notices queued so far; part of the outbox key of the next one. */
    repeats: integer("repeats").notNull().default(0),
    resolveReason: text("resolve_reason"),
  },
  (t) => [
    // At most one open event per (rule, host), even when two evaluations race.
    uniqueIndex("alert_events_one_open_idx").on(t.ruleId, t.hostId).where(sql`state = 'firing'`),
    index("alert_events_started_idx").on(t.startedAt),
    index("alert_events_host_idx").on(t.hostId, t.startedAt),
  ],
);

/** A rule, a host, or one rule on one host muted until a time. Events are still logged. */
export const alertSilences = pgTable(
  "alert_silences",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ruleId: uuid("rule_id").references(() => alertRules.id, { onDelete: "cascade" }),
    hostId: uuid("host_id").references(() => hosts.id, { onDelete: "cascade" }),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull().defaultNow(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    reason: text("reason").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_silences_ends_idx").on(t.endsAt)],
);

/** Who changed which rule, and how (the rule may since have been deleted, so no foreign key). */
export const alertRuleChanges = pgTable(
  "alert_rule_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ruleId: uuid("rule_id").notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action", { enum: ["create", "update", "delete"] }).notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_rule_changes_rule_idx").on(t.ruleId, t.createdAt)],
);

/** One evaluation run: when, what triggered it, what it did. Also the drift cursor (changes since the last run). */
export const alertRuns = pgTable(
  "alert_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    trigger: text("trigger", { enum: ["timer", "cron"] }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    evaluated: integer("evaluated"),
    fired: integer("fired"),
    resolved: integer("resolved"),
    error: text("error"),
  },
  (t) => [index("alert_runs_started_idx").on(t.startedAt)],
);

/**
 * A maintenance window: a host or the hosts a selector matches, once (`startsAt`..`endsAt`) or
 * on a schedule (`cron` in `timezone`, open `durationSeconds` from each start). Events in a
 * window are recorded, marked `maintenance`, and not notified.
 */
export const maintenanceWindows = pgTable("maintenance_windows", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  hostId: uuid("host_id").references(() => hosts.id, { onDelete: "cascade" }),
  selector: text("selector"),
  startsAt: timestamp("starts_at", { withTimezone: true }),
  endsAt: timestamp("ends_at", { withTimezone: true }),
  cron: text("cron"),
  timezone: text("timezone"),
  durationSeconds: integer("duration_seconds"),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Notification routes, tried in `position` order for a rule that names no channels: the first
 * whose selector matches the host's labels and whose severities include the rule's sends to
 * its channels. No route matching: the default channels (every enabled channel).
 */
export const notificationRoutes = pgTable("notification_routes", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** null: any host. */
  selector: text("selector"),
  /** Empty: any severity. */
  severities: jsonb("severities").$type<Severity[]>().notNull().default([]),
  channelIds: jsonb("channel_ids").$type<string[]>().notNull(),
  position: integer("position").notNull().default(0),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const notificationChannels = pgTable("notification_channels", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  kind: text("kind", { enum: ["webhook", "slack", "email"] }).notNull(),
  /** Validated by ChannelConfigSchema; secrets stay server-side (redacted in API answers). */
  config: jsonb("config").$type<Record<string, unknown>>().notNull(),
  minSeverity: text("min_severity", { enum: SEVERITIES }).notNull().default("info"),
  enabled: boolean("enabled").notNull().default(true),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

import { sql } from "drizzle-orm";
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { hosts } from "./hosts";
import { users } from "./users";

export const RULE_KINDS = ["threshold", "hostDown", "drift"] as const;
export const SEVERITIES = ["info", "warning", "critical"] as const;
export const OPS = [">", ">=", "<", "<="] as const;

export const alertRules = pgTable("alert_rules", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  kind: text("kind", { enum: RULE_KINDS }).notNull(),
  metric: text("metric"),
  op: text("op", { enum: OPS }),
  threshold: doublePrecision("threshold"),
  forSeconds: integer("for_seconds").notNull().default(0),
  /** null: the rule applies to every host. */
  hostId: uuid("host_id").references(() => hosts.id, { onDelete: "cascade" }),
  severity: text("severity", { enum: SEVERITIES }).notNull(),
  enabled: boolean("enabled").notNull().default(true),
  /** Kind-specific settings (drift: target and pattern). */
  config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
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
  },
  (t) => [
    // At most one open event per (rule, host), even when two evaluations race.
    uniqueIndex("alert_events_one_open_idx").on(t.ruleId, t.hostId).where(sql`state = 'firing'`),
    index("alert_events_started_idx").on(t.startedAt),
    index("alert_events_host_idx").on(t.hostId, t.startedAt),
  ],
);

import { sql, type NotNull } from "drizzle-orm";
import { bigint, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, type PgDoublePrecisionBuilderInitial } from "drizzle-orm/pg-core";
import type { DiskUsage, Labels } from "@/lib/protocol";
import { AGGREGATED_METRICS, METRICS, type Metric } from "@/lib/protocol/metrics";

export const hosts = pgTable(
  "hosts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    machineId: text("machine_id").notNull().unique(),
    hostname: text("hostname").notNull(),
    ip: text("ip"),
    os: text("os"),
    kernel: text("kernel"),
    arch: text("arch"),
    agentVersion: text("agent_version"),
    /** The agent's own reporting interval, when it tells us; drives up/down status. */
    intervalS: integer("interval_s"),
    /** Hash of the host's one valid agent token; re-enrolling replaces it, revoking nulls it. */
    agentTokenHash: text("agent_token_hash").unique(),
    enrolledAt: timestamp("enrolled_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    /** Samples the agent's spool dropped while the server was unreachable (reported by the agent). */
    droppedSamples: bigint("dropped_samples", { mode: "number" }).notNull().default(0),
    /** The agent's self-update state and spool depth, as it last reported them. */
    agentUpdateState: text("agent_update_state"),
    agentSpoolDepth: integer("agent_spool_depth"),
    /** Why the server last refused this host's agent (protocol version); cleared by accepted telemetry. */
    agentNotice: text("agent_notice"),
    /**
     * The names of every process the agent saw in its newest sample that listed them
     * (`Sample.processNames`), for processMissing rules: only the newest list is kept, since
     * the top processes per sample cannot prove that a process is absent.
     */
    processNames: jsonb("process_names").$type<string[]>(),
    processNamesAt: timestamp("process_names_at", { withTimezone: true }),
    /**
     * Labels, kept by source (the precedence is the README's "Labels" contract): what the agent
     * last reported, what users set (winning over the agent's value for that key), and the keys a
     * user removed (hidden even while the agent keeps reporting them). Only lib/hosts/labels.ts
     * decides the user columns; `labels` is what selectors match, derived by the database so no
     * writer can leave it stale.
     */
    agentLabels: jsonb("agent_labels").$type<Labels>().notNull().default({}),
    userLabels: jsonb("user_labels").$type<Labels>().notNull().default({}),
    removedLabels: text("removed_labels").array().notNull().default(sql`'{}'::text[]`),
    labels: jsonb("labels")
      .$type<Labels>()
      .notNull()
      .generatedAlwaysAs(sql`(agent_labels - removed_labels) || user_labels`),
  },
  (t) => [index("hosts_hostname_idx").on(t.hostname)],
);

type MetricColumns = {
  [M in Metric as M["name"]]: M["required"] extends true ? NotNull<PgDoublePrecisionBuilderInitial<M["column"]>> : PgDoublePrecisionBuilderInitial<M["column"]>;
};

/**
 * One double precision column per registry metric (lib/protocol/metrics.ts), NOT NULL where every
 * sample carries it. Derived, so a new metric needs no edit here; `drizzle-kit generate` still
 * reads this table, and metric-columns.test.ts checks it against the registry and the migrations.
 */
function metricColumns(): MetricColumns {
  return Object.fromEntries(METRICS.map((m) => [m.name, m.required ? doublePrecision(m.column).notNull() : doublePrecision(m.column)])) as MetricColumns;
}

/** One wide row per host per timestamp. Becomes a hypertable when TimescaleDB is present. */
export const metrics = pgTable(
  "metrics",
  {
    hostId: uuid("host_id")
      .notNull()
      .references(() => hosts.id, { onDelete: "cascade" }),
    ts: timestamp("ts", { withTimezone: true }).notNull(),
    ...metricColumns(),
    disks: jsonb("disks").$type<DiskUsage[]>(),
    cpuCores: jsonb("cpu_cores").$type<number[]>(),
  },
  (t) => [primaryKey({ columns: [t.hostId, t.ts] }), index("metrics_ts_idx").on(t.ts)],
);

/**
 * A sum and a count per aggregated registry metric (`<column>_sum`, `<column>_n`), the shape of
 * the TimescaleDB aggregates too, so re-bucketing is weighted. Derived from the registry like the
 * metrics table's columns; default 0, so a metric added later is a column added to tables that
 * already have rows (its history is empty: count 0, no average).
 */
function rollupColumns() {
  return Object.fromEntries(
    AGGREGATED_METRICS.flatMap((m) => [
      [`${m.name}Sum`, doublePrecision(`${m.column}_sum`).notNull().default(0)],
      [`${m.name}N`, integer(`${m.column}_n`).notNull().default(0)],
    ]),
  ) as Record<string, ReturnType<typeof doublePrecision> | ReturnType<typeof integer>>;
}

/**
 * Chart rollups for databases without TimescaleDB (plain PostgreSQL, PGlite): 5-minute and
 * hourly buckets per host on the charts' origin, kept by the ingest statement itself
 * (lib/db/rollups.ts) in the same transaction as the samples, and read for chart steps of 5
 * minutes or more. Unused (empty) on TimescaleDB, whose continuous aggregates do this job.
 */
const rollupTable = (name: "metrics_rollup_5m" | "metrics_rollup_1h") =>
  pgTable(
    name,
    {
      hostId: uuid("host_id")
        .notNull()
        .references(() => hosts.id, { onDelete: "cascade" }),
      bucket: timestamp("bucket", { withTimezone: true }).notNull(),
      ...rollupColumns(),
    },
    (t) => [primaryKey({ columns: [t.hostId, t.bucket] }), index(`${name}_bucket_idx`).on(t.bucket)],
  );

export const metricsRollup5m = rollupTable("metrics_rollup_5m");
export const metricsRollup1h = rollupTable("metrics_rollup_1h");

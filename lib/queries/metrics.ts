/**
 * Bucketed averages for charts. Steps that are a multiple of 5 minutes read 5-minute or hourly
 * sums and counts (hourly for whole hours) and re-bucket them weighted by count: with TimescaleDB
 * its continuous aggregates (metrics_5m, metrics_1h), else the rollup tables the ingest statement
 * keeps (lib/db/rollups.ts). Shorter steps read raw rows with date_bin(). Both paths align buckets
 * to the same origin (time_bucket's default, 2000-01-03, passed explicitly) and cover whole
 * buckets, so they agree.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { isoString, wireDate } from "@/lib/wire";
import type { Database } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { hostExists } from "@/lib/queries/hosts";
import { quoted } from "@/lib/db/metric-columns";
import { BUCKET_ORIGIN } from "@/lib/db/timescale";
import { rollupFor } from "@/lib/db/rollups";
import { alignDown } from "@/lib/metrics/range";
import { AGGREGATED_METRICS, type AggregatedMetric, type RequiredMetricName } from "@/lib/protocol/metrics";

/**
 * One bucket: its start and the average of every aggregated registry metric it holds (a metric
 * no sample in the bucket reported is absent). Required metrics are in every bucket.
 */
export type MetricPoint = { ts: string } & { [M in AggregatedMetric as M["name"] extends RequiredMetricName ? M["name"] : never]: number } & {
  [M in AggregatedMetric as M["name"] extends RequiredMetricName ? never : M["name"]]?: number;
};

/** MetricPoint's schema, from the same registry entries: the OpenAPI document's description of a bucket. */
export const MetricPointSchema = z.object({
  ts: isoString,
  ...Object.fromEntries(AGGREGATED_METRICS.map((m) => [m.name, m.required ? z.number() : z.number().optional()])),
}) as unknown as z.ZodType<MetricPoint>;

export const MetricsResponseSchema = z.object({
  hostId: z.string(),
  from: wireDate,
  to: wireDate,
  stepSeconds: z.number().int(),
  /** Raw rows, or 5-minute/hourly sums and counts: TimescaleDB's continuous aggregates, else the rollup tables. */
  source: z.enum(["raw", "aggregate"]),
  series: z.array(MetricPointSchema),
});

// The select lists of both paths, built once from the registry (constants; output aliased by column).
const AGGREGATE_SELECT = AGGREGATED_METRICS.map(({ column: c }) => `sum(${quoted(`${c}_sum`)}) / nullif(sum(${quoted(`${c}_n`)}), 0) as ${quoted(c)}`).join(", ");
const RAW_SELECT = AGGREGATED_METRICS.map(({ column: c }) => `avg(${quoted(c)}) as ${quoted(c)}`).join(", ");

export async function queryMetrics(
  database: Pick<Database, "db" | "timescale" | "rollups" | "repeated">,
  args: { hostId: string; fromMs: number; toMs: number; stepS: number },
): Promise<{ series: MetricPoint[]; source: "raw" | "aggregate" }> {
  // ISO strings, not Dates: drizzle's postgres.js driver does not serialise Date parameters in raw SQL.
  // Whole buckets on both paths: [start of from's bucket, end of to's bucket). The aggregate
  // cannot split a 5-minute bucket, so the raw path does not either, and the answers agree.
  const from = new Date(alignDown(args.fromMs, args.stepS)).toISOString();
  const to = new Date(alignDown(args.toMs, args.stepS) + args.stepS * 1000).toISOString();
  const step = sql`${args.stepS}::int * interval '1 second'`;
  const origin = sql.raw(`timestamptz '${BUCKET_ORIGIN}'`);
  // Whole hours read the hourly aggregate (12 times fewer rows), other 5-minute multiples the
  // 5-minute one: TimescaleDB's continuous aggregates, else the rollup tables the ingest keeps.
  const rollup = database.timescale || database.rollups ? rollupFor(args.stepS) : null;
  const useAggregate = rollup !== null;
  const view = sql.raw(database.timescale ? (rollup === "metrics_rollup_1h" ? "metrics_1h" : "metrics_5m") : (rollup ?? ""));
  const bucket = database.timescale ? sql`time_bucket(${step}, bucket, ${origin})` : sql`date_bin(${step}, bucket, ${origin})`;

  const query = useAggregate
    ? sql`select ${bucket} as b,
        ${sql.raw(AGGREGATE_SELECT)}
      from ${view} where host_id = ${args.hostId}::uuid and bucket >= ${from}::timestamptz and bucket < ${to}::timestamptz
      group by b order by b`
    : sql`select date_bin(${step}, ts, ${origin}) as b,
        ${sql.raw(RAW_SELECT)}
      from metrics where host_id = ${args.hostId}::uuid and ts >= ${from}::timestamptz and ts < ${to}::timestamptz
      group by b order by b`;

  // A handful of fixed shapes: prepared once per connection where the driver allows it (planning
  // the aggregate's real-time union costs more than running it).
  const result = database.repeated ? await database.repeated(query) : await rows<Record<string, unknown>>(database.db, query);
  const series = result.map((r) => {
    const point: Record<string, unknown> = { ts: new Date(r.b as string).toISOString() };
    for (const m of AGGREGATED_METRICS) {
      const v = r[m.column];
      if (v !== null && v !== undefined) point[m.name] = Number(v);
    }
    return point as MetricPoint;
  });
  return { series, source: useAggregate ? "aggregate" : "raw" };
}

/**
 * The body of GET /api/metrics: the range as resolved, its step, where it was read from, the
 * series; null when there is no such host. A sample exists only for a host that exists (the
 * foreign key, deleted with it), so the host is looked up only when the series is empty: a chart
 * with data costs one round trip instead of two.
 */
export async function metricsPage(database: Pick<Database, "db" | "timescale" | "rollups" | "repeated">, range: { hostId: string; fromMs: number; toMs: number; stepS: number }) {
  const { series, source } = await queryMetrics(database, range);
  if (!series.length && !(await hostExists(database.db, range.hostId))) return null;
  return { hostId: range.hostId, from: new Date(range.fromMs), to: new Date(range.toMs), stepSeconds: range.stepS, source, series };
}

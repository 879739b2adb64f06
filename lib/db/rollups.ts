/**
 * Chart rollups without TimescaleDB (plain PostgreSQL, PGlite): metrics_rollup_5m and
 * metrics_rollup_1h hold a sum and a count per aggregated metric per host and bucket. The ingest
 * statement adds exactly the rows it stored (its `returning`, so a resend adds nothing) in the
 * same statement, hence the same transaction: the answer comes after the commit of both, and a
 * late sample lands in its old bucket like any other. Buckets share the charts' origin
 * (BUCKET_ORIGIN), so a chart step that is a multiple of 5 minutes covers whole rollup buckets
 * and re-bucketing them by sum and count gives the raw rows' averages.
 */
import { sql } from "drizzle-orm";
import { AGGREGATED_COLUMNS, quoted } from "./metric-columns";
import { aggregateRefresherFor, AGGREGATE_STEP_S, BUCKET_ORIGIN, HOURLY_STEP_S } from "./timescale";
import type { Db } from "./sql";

export const ROLLUPS = [
  { table: "metrics_rollup_5m", stepS: AGGREGATE_STEP_S },
  { table: "metrics_rollup_1h", stepS: HOURLY_STEP_S },
] as const;
export type RollupTable = (typeof ROLLUPS)[number]["table"];

/** The coarsest rollup whose buckets nest in a step, or null when the step needs raw rows. */
export function rollupFor(stepS: number): RollupTable | null {
  if (stepS % HOURLY_STEP_S === 0) return "metrics_rollup_1h";
  if (stepS % AGGREGATE_STEP_S === 0) return "metrics_rollup_5m";
  return null;
}

/**
 * Whether ingestion keeps the rollups for this handle: every database except one whose charts
 * read the TimescaleDB aggregates (its opener registered their refresher).
 */
export const maintainsRollups = (db: Db) => aggregateRefresherFor(db) === undefined;

const valueColumns = (columns: readonly string[]) => columns.flatMap((c) => [quoted(`${c}_sum`), quoted(`${c}_n`)]);
const sumsAndCounts = (columns: readonly string[]) => columns.map((c) => `coalesce(sum(${quoted(c)}), 0), count(${quoted(c)})::int`).join(", ");

/**
 * Adds the rows of `source` (host_id, ts and the aggregated columns) to one rollup table. In
 * (host_id, bucket) order, the same for every statement, so concurrent ingest statements take
 * the rollup rows' locks in one order and cannot deadlock on them.
 */
export function rollupUpsertSql(table: RollupTable, stepS: number, source: string, columns: readonly string[] = AGGREGATED_COLUMNS): string {
  const cols = valueColumns(columns);
  return `insert into ${table} (host_id, bucket, ${cols.join(", ")})
    select host_id, date_bin(interval '${stepS} seconds', ts, timestamptz '${BUCKET_ORIGIN}') as bucket, ${sumsAndCounts(columns)}
    from ${source} group by 1, 2 order by 1, 2
    on conflict (host_id, bucket) do update set ${cols.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", ")}`;
}

/**
 * Fills a rollup table from the raw rows already stored (the migration that created the tables,
 * a test). Not on TimescaleDB, whose aggregates cover the history instead.
 */
export function rollupBackfillSql(table: RollupTable, stepS: number, columns: readonly string[] = AGGREGATED_COLUMNS): string {
  return `insert into ${table} (host_id, bucket, ${valueColumns(columns).join(", ")})
    select host_id, date_bin(interval '${stepS} seconds', ts, timestamptz '${BUCKET_ORIGIN}') as bucket, ${sumsAndCounts(columns)}
    from metrics group by 1, 2`;
}

/**
 * Rollup buckets wholly older than the retention period, deleted with the raw rows they
 * summarize (the metrics retention job). A bucket that straddles the edge stays until it is
 * wholly past it.
 */
export async function purgeExpiredRollups(db: Db, retentionDays: number): Promise<void> {
  for (const { table, stepS } of ROLLUPS) {
    await db.execute(sql`delete from ${sql.raw(table)} where bucket < now() - ${retentionDays}::int * interval '1 day' - ${stepS}::int * interval '1 second'`);
  }
}

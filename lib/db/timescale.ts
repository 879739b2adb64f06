/**
 * TimescaleDB path: when the extension is available, metrics becomes a hypertable with
 * compression (segmented by host), a retention policy and a 5-minute continuous aggregate.
 * Policy calls and continuous aggregates cannot run inside a transaction block, so this runs
 * as its own idempotent step after the drizzle migrations, one statement at a time.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "./sql";

/** time_bucket()'s default origin; date_bin() on raw rows is given the same, so both paths bucket identically. */
export const BUCKET_ORIGIN = "2000-01-03T00:00:00Z";
export const AGGREGATE_STEP_S = 300;

export type TimescaleStatus =
  | { state: "enabled"; version: string }
  | { state: "unavailable"; reason: string }
  | { state: "disabled" };

/** Columns averaged in the aggregate; each keeps sum and count so re-bucketing stays weighted. */
export const AGGREGATED_COLUMNS = [
  "cpu_pct",
  "mem_pct",
  "disk_pct",
  "uptime_s",
  "load1",
  "load5",
  "load15",
  "mem_used_bytes",
  "mem_total_bytes",
  "swap_pct",
  "net_rx_bps",
  "net_tx_bps",
] as const;

export function continuousAggregateSql(): string {
  const cols = AGGREGATED_COLUMNS.map((c) => `sum(${c}) as ${c}_sum, count(${c}) as ${c}_n`).join(",\n  ");
  return `create materialized view if not exists metrics_5m with (timescaledb.continuous, timescaledb.materialized_only = false) as
select host_id, time_bucket(interval '${AGGREGATE_STEP_S} seconds', ts) as bucket,
  ${cols}
from metrics group by host_id, bucket with no data`;
}

/**
 * Every statement the setup runs, in order. `compressionEnabled` comes from the catalog so a
 * second start does not try to re-enable compression on a table that already has it.
 */
export function timescaleSetupStatements(opts: { retentionDays: number; compressionEnabled: boolean }): string[] {
  const statements = [
    `select create_hypertable('metrics', by_range('ts', interval '1 day'), if_not_exists => true, migrate_data => true)`,
  ];
  if (!opts.compressionEnabled) {
    statements.push(`alter table metrics set (timescaledb.compress, timescaledb.compress_segmentby = 'host_id', timescaledb.compress_orderby = 'ts desc')`);
  }
  statements.push(
    `select add_compression_policy('metrics', interval '7 days', if_not_exists => true)`,
    // Re-created each start so a changed IW_RETENTION_DAYS takes effect.
    `select remove_retention_policy('metrics', if_exists => true)`,
    `select add_retention_policy('metrics', interval '${Math.trunc(opts.retentionDays)} days')`,
    continuousAggregateSql(),
    `select add_continuous_aggregate_policy('metrics_5m', start_offset => interval '3 days', end_offset => interval '5 minutes', schedule_interval => interval '5 minutes', if_not_exists => true)`,
  );
  return statements;
}

export async function detectTimescale(db: Db): Promise<{ available: boolean; installed: boolean; version: string | null }> {
  const found = await rows<{ default_version: string; installed_version: string | null }>(
    db,
    sql`select default_version, installed_version from pg_available_extensions where name = 'timescaledb'`,
  );
  const row = found[0];
  return { available: !!row, installed: !!row?.installed_version, version: row?.installed_version ?? row?.default_version ?? null };
}

export async function setupTimescale(db: Db, opts: { retentionDays: number }): Promise<TimescaleStatus> {
  const detected = await detectTimescale(db);
  if (!detected.available) return { state: "unavailable", reason: "the timescaledb extension is not installed on this server" };
  try {
    if (!detected.installed) await db.execute(sql.raw(`create extension if not exists timescaledb`));
    const compression = await rows<{ compression_enabled: boolean }>(
      db,
      sql`select compression_enabled from timescaledb_information.hypertables where hypertable_name = 'metrics'`,
    );
    for (const statement of timescaleSetupStatements({ retentionDays: opts.retentionDays, compressionEnabled: compression[0]?.compression_enabled === true })) {
      await db.execute(sql.raw(statement));
    }
    return { state: "enabled", version: detected.version ?? "unknown" };
  } catch (err) {
    // Typically: the extension exists but is not in shared_preload_libraries.
    return { state: "unavailable", reason: (err as Error).message };
  }
}

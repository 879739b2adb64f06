/**
 * TimescaleDB path: when the extension is available, metrics becomes a hypertable with
 * compression (segmented by host), a retention policy and a 5-minute continuous aggregate.
 * Policy calls and continuous aggregates cannot run inside a transaction block, so this runs
 * as its own idempotent step after the drizzle migrations, one statement at a time.
 */
import { describeDbError } from "./log";
import { sql } from "drizzle-orm";
import { LateRanges } from "@/lib/metrics/late-ranges";
import { AGGREGATED_COLUMNS, quoted } from "./metric-columns";
import { dbErrorCode, rows, type Db } from "./sql";

/** time_bucket()'s default origin; date_bin() on raw rows is given the same, so both paths bucket identically. */
export const BUCKET_ORIGIN = "2000-01-03T00:00:00Z";
export const AGGREGATE_STEP_S = 300;
/** The hourly aggregate, built on metrics_5m (a hierarchical continuous aggregate, TimescaleDB >= 2.9). */
export const HOURLY_STEP_S = 3600;

export type TimescaleStatus =
  /**
   * `hourlyCreated`: metrics_1h is new on this start; `rebuilt`: the aggregates lacked a
   * registry column and were built again. Either way they start empty over existing history.
   */
  | { state: "enabled"; version: string; hourlyCreated?: boolean; rebuilt?: boolean }
  | { state: "unavailable"; reason: string }
  | { state: "disabled" };

/** The aggregates' value columns: a sum and a count per aggregated registry column, so re-bucketing stays weighted. */
export function aggregateValueColumns(columns: readonly string[] = AGGREGATED_COLUMNS): string[] {
  return columns.flatMap((c) => [`${c}_sum`, `${c}_n`]);
}

export function continuousAggregateSql(columns: readonly string[] = AGGREGATED_COLUMNS): string {
  const cols = columns.map((c) => `sum(${quoted(c)}) as ${quoted(`${c}_sum`)}, count(${quoted(c)}) as ${quoted(`${c}_n`)}`).join(",\n  ");
  return `create materialized view if not exists metrics_5m with (timescaledb.continuous, timescaledb.materialized_only = false) as
select host_id, time_bucket(interval '${AGGREGATE_STEP_S} seconds', ts) as bucket,
  ${cols}
from metrics group by host_id, bucket with no data`;
}

/**
 * Hourly sums and counts from the 5-minute ones: a 30-day chart reads 720 rows per host instead
 * of 8,640 (about 2 ms instead of 12 ms of execution on TimescaleDB 2.22 here).
 */
export function hourlyAggregateSql(columns: readonly string[] = AGGREGATED_COLUMNS): string {
  const cols = columns.map((c) => `sum(${quoted(`${c}_sum`)}) as ${quoted(`${c}_sum`)}, sum(${quoted(`${c}_n`)})::bigint as ${quoted(`${c}_n`)}`).join(",\n  ");
  return `create materialized view if not exists metrics_1h with (timescaledb.continuous, timescaledb.materialized_only = false) as
select host_id, time_bucket(interval '${HOURLY_STEP_S} seconds', bucket) as bucket,
  ${cols}
from metrics_5m group by host_id, time_bucket(interval '${HOURLY_STEP_S} seconds', bucket) with no data`;
}

/**
 * Whether an existing aggregate's columns are the ones the registry asks for. A continuous
 * aggregate cannot gain a column (no ALTER for its query), so one built before a metric was
 * added must be dropped and built again; `null` columns: the view does not exist yet.
 */
export function aggregateIsStale(existing: readonly string[] | null, columns: readonly string[] = AGGREGATED_COLUMNS): boolean {
  if (existing === null) return false;
  const want = ["host_id", "bucket", ...aggregateValueColumns(columns)];
  return existing.length !== want.length || want.some((c) => !existing.includes(c));
}

/**
 * The refresh policy of one aggregate, added only when it has none. `if_not_exists` is not
 * enough: TimescaleDB 2.22 (which allows several refresh policies per aggregate) refuses a
 * second call on a hierarchical aggregate with "multiple refresh policies are not supported",
 * so every start after the first failed the setup and ran on plain tables.
 */
function refreshPolicySql(view: "metrics_5m" | "metrics_1h", endOffset: string): string {
  return `do $$ begin
  if not exists (select 1 from timescaledb_information.jobs where proc_name = 'policy_refresh_continuous_aggregate' and hypertable_name = '${view}') then
    perform add_continuous_aggregate_policy('${view}', start_offset => interval '3 days', end_offset => interval '${endOffset}', schedule_interval => interval '5 minutes');
  end if;
end $$`;
}

/**
 * Every statement the setup runs, in order. `compressionEnabled` comes from the catalog so a
 * second start does not try to re-enable compression on a table that already has it.
 */
export function timescaleSetupStatements(opts: { retentionDays: number; compressionEnabled: boolean; processCompressionEnabled?: boolean; columns?: readonly string[] }): string[] {
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
    continuousAggregateSql(opts.columns),
    refreshPolicySql("metrics_5m", "5 minutes"),
    hourlyAggregateSql(opts.columns),
    refreshPolicySql("metrics_1h", "1 hour"),
  );
  // The processes of each sample: the same chunking, compression and retention as metrics.
  statements.push(`select create_hypertable('process_samples', by_range('ts', interval '1 day'), if_not_exists => true, migrate_data => true)`);
  if (!opts.processCompressionEnabled) {
    statements.push(`alter table process_samples set (timescaledb.compress, timescaledb.compress_segmentby = 'host_id', timescaledb.compress_orderby = 'ts desc')`);
  }
  statements.push(
    `select add_compression_policy('process_samples', interval '7 days', if_not_exists => true)`,
    `select remove_retention_policy('process_samples', if_exists => true)`,
    `select add_retention_policy('process_samples', interval '${Math.trunc(opts.retentionDays)} days')`,
  );
  return statements;
}

export type TimescaleServerFacts = {
  /** The extension's files are on the server (pg_available_extensions). */
  available: boolean;
  /** `create extension` has run in this database. */
  installed: boolean;
  /** shared_preload_libraries, or null when this role may not read it. */
  preloadLibraries: string | null;
  /** The TimescaleDB loader registered its settings: it was preloaded, whatever we could read. */
  loaderPresent: boolean;
};

export const PRELOAD_ADVICE =
  "set shared_preload_libraries = 'timescaledb' in postgresql.conf (keep any libraries already listed) and restart PostgreSQL";

/** Whether a shared_preload_libraries value names timescaledb (a comma-separated list, items possibly quoted). */
export function preloadsTimescale(libraries: string): boolean {
  return libraries.split(",").some((item) => item.trim().replace(/^"|"$/g, "").trim() === "timescaledb");
}

/**
 * Whether to run the setup. An extension whose files exist but that is not preloaded makes
 * `create extension` fail, and a backend that tried can later die with FATAL "extension must be
 * preloaded", taking a pooled connection with it: so nothing is tried then, and the reason says
 * exactly what to change. `preloadRequired` is false only for a PGlite build that loads the
 * extension itself.
 */
export function decideTimescale(facts: TimescaleServerFacts, opts: { preloadRequired: boolean }): { run: true } | { run: false; reason: string } {
  if (!facts.available) return { run: false, reason: "the timescaledb extension is not installed on this server" };
  const preloaded = !opts.preloadRequired || facts.loaderPresent || (facts.preloadLibraries !== null && preloadsTimescale(facts.preloadLibraries));
  if (!preloaded) {
    const seen = facts.preloadLibraries === null ? "cannot be read by this role and the loader is absent" : `is '${facts.preloadLibraries}'`;
    return { run: false, reason: `the timescaledb extension is installed but not preloaded (shared_preload_libraries ${seen}): ${PRELOAD_ADVICE}; running on plain tables` };
  }
  return { run: true };
}

export async function detectTimescale(db: Db): Promise<TimescaleServerFacts & { version: string | null }> {
  // pg_settings instead of current_setting(): a role without pg_read_all_settings gets no row
  // rather than an error. bgw_launcher_poll_time is registered only by the preloaded loader.
  const found = await rows<{ default_version: string | null; installed_version: string | null; preload: string | null; loader: boolean }>(
    db,
    sql`select e.default_version, e.installed_version,
        (select setting from pg_settings where name = 'shared_preload_libraries') as preload,
        exists (select 1 from pg_settings where name = 'timescaledb.bgw_launcher_poll_time') as loader
      from (select 1) one left join pg_available_extensions e on e.name = 'timescaledb'`,
  );
  const row = found[0];
  return {
    available: !!row?.default_version,
    installed: !!row?.installed_version,
    version: row?.installed_version ?? row?.default_version ?? null,
    preloadLibraries: row?.preload ?? null,
    loaderPresent: row?.loader === true,
  };
}

export async function setupTimescale(db: Db, opts: { retentionDays: number; preloadRequired?: boolean }): Promise<TimescaleStatus> {
  const detected = await detectTimescale(db);
  const decision = decideTimescale(detected, { preloadRequired: opts.preloadRequired ?? true });
  if (!decision.run) return { state: "unavailable", reason: decision.reason };
  try {
    if (!detected.installed) await db.execute(sql.raw(`create extension if not exists timescaledb`));
    const compression = await rows<{ hypertable_name: string; compression_enabled: boolean }>(
      db,
      sql`select hypertable_name, compression_enabled from timescaledb_information.hypertables where hypertable_name in ('metrics', 'process_samples')`,
    );
    const compressed = (table: string) => compression.some((c) => c.hypertable_name === table && c.compression_enabled === true);
    const [hourly] = await rows<{ exists: boolean }>(db, sql`select exists (select 1 from pg_class where relname = 'metrics_1h') as exists`);
    const rebuilt = aggregateIsStale(await viewColumns(db, "metrics_5m")) || aggregateIsStale(await viewColumns(db, "metrics_1h"));
    if (rebuilt) {
      // metrics_1h reads metrics_5m: it goes first. Their refresh policies go with them and are added again below.
      await db.execute(sql.raw(`drop materialized view if exists metrics_1h`));
      await db.execute(sql.raw(`drop materialized view if exists metrics_5m`));
    }
    for (const statement of timescaleSetupStatements({ retentionDays: opts.retentionDays, compressionEnabled: compressed("metrics"), processCompressionEnabled: compressed("process_samples") })) {
      await db.execute(sql.raw(statement));
    }
    // A new metrics_1h on a database with history starts empty: the refresher fills it in the background.
    return { state: "enabled", version: detected.version ?? "unknown", hourlyCreated: hourly?.exists !== true, rebuilt };
  } catch (err) {
    const d = describeDbError(err);
    return { state: "unavailable", reason: `the TimescaleDB setup failed (${[d.code && `sqlstate=${d.code}`, d.message].filter(Boolean).join(" ")}); running on plain tables` };
  }
}

/** A view's column names, or null when there is no such view. */
async function viewColumns(db: Db, view: "metrics_5m" | "metrics_1h"): Promise<string[] | null> {
  const found = await rows<{ attname: string }>(
    db,
    sql`select a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
      where c.relname = ${view} and c.relkind = 'v' and a.attnum > 0 and not a.attisdropped order by a.attnum`,
  );
  return found.length ? found.map((r) => r.attname) : null;
}

/** The refresh policy's start_offset: samples older than this are never materialized by the policy. */
export const POLICY_WINDOW_MS = 3 * 86_400_000;
/** Samples this close to the policy window's edge are left to the policy as well (it runs every 5 minutes). */
const POLICY_MARGIN_MS = 15 * 60_000;

/**
 * Materializes late data: the refresh policy only covers the last 3 days, so a backfill or an
 * agent replaying a long outage would stay invisible to the aggregate. Inserts note the range of
 * their late samples here (in memory, per process: cheap, and a lost range after a restart only
 * means raw-speed reads until the next late batch for it); a timer refreshes the coalesced
 * ranges off the request path, one `call` per range, outside any transaction (which
 * refresh_continuous_aggregate requires; it is one autocommit statement, so it works through a
 * transaction pooler too).
 */
export class AggregateRefresher {
  private readonly pending = new LateRanges(AGGREGATE_STEP_S * 1000, Date.parse(BUCKET_ORIGIN));
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly opts: { delayMs?: number; log?: (line: string) => void } = {},
  ) {}

  /** Notes the late part of [minMs, maxMs] of samples just committed. */
  noteSamples(minMs: number, maxMs: number, nowMs: number) {
    const cutoff = nowMs - POLICY_WINDOW_MS + POLICY_MARGIN_MS;
    if (this.stopped || !(minMs < cutoff)) return;
    this.pending.add(minMs, Math.min(maxMs, cutoff));
    this.schedule(this.opts.delayMs ?? 5_000);
  }

  /**
   * Notes a range to materialize (a new hourly aggregate over existing history), only its part
   * the policies never cover: refreshing up to now would move the aggregates' watermark past
   * samples still to come, which would then wait for the next policy run instead of showing at once.
   */
  noteRange(startMs: number, endMs: number, nowMs: number) {
    const cutoff = nowMs - POLICY_WINDOW_MS + POLICY_MARGIN_MS;
    const end = Math.min(endMs, cutoff);
    if (this.stopped || !(startMs < end)) return;
    this.pending.add(startMs, end);
    this.schedule(this.opts.delayMs ?? 5_000);
  }

  private schedule(delayMs: number) {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    this.timer.unref?.();
  }

  /** Refreshes every pending range now; ranges noted meanwhile wait for the next run. */
  async flush(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      for (const range of this.pending.take()) {
        try {
          await this.db.execute(sql.raw(refreshStatement("metrics_5m", range.startMs, range.endMs)));
          // The hourly aggregate reads the 5-minute one: refreshed after it, over whole hours.
          await this.db.execute(sql.raw(refreshStatement("metrics_1h", alignTo(range.startMs, HOURLY_STEP_S, 0), alignTo(range.endMs, HOURLY_STEP_S, 1))));
        } catch (err) {
          this.opts.log?.(`[infra-watch] metrics_5m refresh of ${new Date(range.startMs).toISOString()}..${new Date(range.endMs).toISOString()} failed (${dbErrorCode(err) ?? "error"}); retrying later`);
          this.pending.add(range.startMs, range.endMs - 1);
          this.schedule(60_000);
        }
      }
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  get pendingRanges() {
    return this.pending.size;
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

/**
 * Aggregates created or rebuilt on this start are empty over the history already stored: notes
 * that history for the refresher (the part the policies never cover; they take the rest).
 */
export function noteNewAggregates(refresher: AggregateRefresher, status: TimescaleStatus, retentionDays: number, nowMs: number) {
  if (status.state === "enabled" && (status.hourlyCreated || status.rebuilt)) refresher.noteRange(nowMs - retentionDays * 86_400_000, nowMs, nowMs);
}

/** Times are ours (from Date), never request text, so literals are safe; CALL takes no bind parameters through every driver. */
export function refreshStatement(view: "metrics_5m" | "metrics_1h", startMs: number, endMs: number): string {
  return `call refresh_continuous_aggregate('${view}', timestamptz '${new Date(startMs).toISOString()}', timestamptz '${new Date(endMs).toISOString()}')`;
}

/** `ms` aligned down (up = 0) or up (up = 1) to a bucket of `stepS` on the shared origin. */
function alignTo(ms: number, stepS: number, up: 0 | 1): number {
  const origin = Date.parse(BUCKET_ORIGIN);
  const stepMs = stepS * 1000;
  return origin + (up ? Math.ceil((ms - origin) / stepMs) : Math.floor((ms - origin) / stepMs)) * stepMs;
}

// On globalThis: Next gives route bundles and the instrumentation hook their own module copies,
// and the handle registered by the opener must be found by every one of them.
const REFRESHERS = Symbol.for("infra-watch.aggregate-refreshers");
const refreshers: WeakMap<Db, AggregateRefresher> = ((globalThis as { [REFRESHERS]?: WeakMap<Db, AggregateRefresher> })[REFRESHERS] ??= new WeakMap());

/** The opener registers one refresher per TimescaleDB database; ingestion finds it by the handle it writes with. */
export function registerAggregateRefresher(db: Db, refresher: AggregateRefresher) {
  refreshers.set(db, refresher);
}

export function aggregateRefresherFor(db: Db): AggregateRefresher | undefined {
  return refreshers.get(db);
}

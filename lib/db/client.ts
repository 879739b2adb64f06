import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import * as schema from "./schema";
import { lockDataDir } from "./lock";
import { PgliteThread } from "./pglite-thread";
import { rows, type Db } from "./sql";
import { AggregateRefresher, noteNewAggregates, registerAggregateRefresher, setupTimescale, type TimescaleStatus } from "./timescale";
import { verifyPgliteCommits, withVerifiedCommit } from "./transaction";

export type { Db };

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Whether metrics is a TimescaleDB hypertable with the 5-minute continuous aggregate. */
  timescale: boolean;
  timescaleStatus: TimescaleStatus;
  /**
   * Whether the ingest keeps the chart rollups (metrics_rollup_5m/1h, lib/db/rollups.ts) and
   * charts read them: every database whose charts do not read TimescaleDB's aggregates.
   */
  rollups: boolean;
  /**
   * Runs a read whose text is one of a few fixed shapes (the chart queries) as a named prepared
   * statement with a generic plan, on a few connections of its own (CHART_CONNECTIONS), so the
   * plan is made once per connection and kept. Absent on PGlite and through a transaction
   * pooler (a name prepared on one server connection is unknown on the next): use `rows` then.
   */
  repeated?: (query: SQL) => Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
};

/** `transaction`: DATABASE_URL goes through a transaction-pooling proxy (PgBouncer, Supavisor, RDS Proxy). */
export type PoolerMode = "none" | "transaction";

export type OpenOptions =
  | { kind: "postgres"; url: string; max?: number; retentionDays: number; timescale: "auto" | "off"; pooler?: PoolerMode }
  /** dataDir undefined: an in-memory PGlite (tests). */
  | { kind: "pglite"; dataDir?: string };

const MIGRATIONS = path.join(process.cwd(), "drizzle");

/**
 * The chart reads' own connections, out of the pool size (`max`, default 20), and the setting
 * they run with. PostgreSQL plans a prepared statement's first five executions afresh (a custom
 * plan) and only then may keep a generic one; on TimescaleDB planning the aggregates' real-time
 * union takes about 22 ms and running it about 1 ms (EXPLAIN ANALYZE of the 30-day chart, 2.22.1
 * here), and with the reads spread over every connection of the pool, most chart requests paid
 * for a plan. A generic plan is made once per connection (about 5 ms), then reused; TimescaleDB
 * invalidates it when an aggregate's watermark moves, so it never reads stale boundaries.
 * Kept off the main pool: its other statements keep PostgreSQL's default plan choice.
 */
export function chartConnections(max: number): number {
  return Math.max(1, Math.min(4, Math.floor(max / 5)));
}
export const CHART_PLAN_SETTINGS = { plan_cache_mode: "force_generic_plan" } as const;
/**
 * Serialises migrations and the TimescaleDB setup across app instances starting at once. The
 * key of the former session lock, so old and new instances of a rolling deploy still exclude each other.
 */
export const STARTUP_LOCK_KEY = 7_294_001;

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.kind === "pglite") {
    const release = options.dataDir ? lockDataDir(options.dataDir) : () => {};
    const dir = options.dataDir ? path.join(options.dataDir, "pglite") : undefined;
    const fresh = dir !== undefined && !fs.existsSync(path.join(dir, "PG_VERSION"));
    // PGlite runs on a thread of its own, off the event loop that serves requests (./pglite-thread.ts).
    let client: PgliteThread | undefined;
    try {
      client = new PgliteThread(dir);
      await client.waitReady;
      if (fresh) {
        // Creating a cluster (initdb) leaves about 500 MB of the thread's memory in use for good;
        // ending that thread and opening the new cluster on another gives it back.
        await client.close();
        client = new PgliteThread(dir);
        await client.waitReady;
      }
      // drizzle's PGlite driver calls only query() and transaction(), which the thread answers for.
      const db = drizzlePglite({ client: client as unknown as PGlite, schema });
      await migratePglite(db, { migrationsFolder: MIGRATIONS });
      const opened = client;
      return {
        db: verifyPgliteCommits(db as unknown as Db),
        kind: "pglite",
        timescale: false,
        timescaleStatus: { state: "unavailable", reason: "PGlite has no TimescaleDB" },
        rollups: true,
        async close() {
          await opened.close();
          release();
        },
      };
    } catch (err) {
      await client?.close().catch(() => {});
      release();
      throw err;
    }
  }

  // Through a transaction pooler each transaction may run on another server connection, so a
  // statement prepared by name on one is unknown on the next: no named prepared statements.
  // (Transactions never use them anyway: see ./transaction.ts.)
  const pooled = options.pooler === "transaction";
  const max = options.max ?? 20;
  const charts = pooled ? 0 : chartConnections(max);
  const raw = postgres(options.url, { max: Math.max(2, max - charts), onnotice: () => {}, connect_timeout: 10, prepare: !pooled });
  const chartClient = charts ? postgres(options.url, { max: charts, onnotice: () => {}, connect_timeout: 10, prepare: true, connection: CHART_PLAN_SETTINGS }) : null;
  const client = withVerifiedCommit(raw);
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  let timescaleStatus = { state: "disabled" } as TimescaleStatus;
  let timescale = false;
  try {
    await underStartupLock(client, async () => {
      await migratePostgres(drizzlePostgres({ client, schema }), { migrationsFolder: MIGRATIONS });
      if (options.timescale !== "off") timescaleStatus = await setupTimescale(db, { retentionDays: options.retentionDays });
    });
    timescale = timescaleStatus.state === "enabled" && (await hasTimescaleAggregate(db));
  } catch (err) {
    await raw.end({ timeout: 5 });
    await chartClient?.end({ timeout: 5 });
    throw err;
  }
  // Late samples (older than the refresh policy's window) are materialized by this, off the request path.
  const refresher = timescale ? new AggregateRefresher(db, { log: (line) => console.error(line) }) : undefined;
  if (refresher) registerAggregateRefresher(db, refresher);
  if (refresher) noteNewAggregates(refresher, timescaleStatus, options.retentionDays, Date.now());
  const dialect = new PgDialect();
  return {
    db,
    kind: "postgres",
    timescale,
    timescaleStatus,
    // The same rule as the ingest's (maintainsRollups): no aggregate refresher, rollups.
    rollups: !refresher,
    repeated: chartClient
      ? async (query) => {
          const { sql: text, params } = dialect.sqlToQuery(query);
          return (await chartClient.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as Record<string, unknown>[];
        }
      : undefined,
    async close() {
      await refresher?.stop();
      await raw.end({ timeout: 5 });
      await chartClient?.end({ timeout: 5 });
    },
  };
}

/**
 * Runs `fn` while this instance holds STARTUP_LOCK_KEY, so instances starting at once migrate
 * and set up TimescaleDB one after the other (the later ones find nothing left to do).
 *
 * The lock is transaction-scoped and held by one open transaction on its own connection while
 * `fn` works on the pool's other connections. A session advisory lock would not work through a
 * transaction pooler: taken and released by statements that may land on different server
 * connections, it leaks on one and serialises nothing. A transaction keeps one server
 * connection for its whole life, on any pooler, and the lock ends with it even if this process
 * dies. `fn` cannot run inside that transaction: the TimescaleDB setup has statements that
 * refuse a transaction block, and the migrations must be committed before it runs.
 */
export async function underStartupLock(client: postgres.Sql, fn: () => Promise<void>): Promise<void> {
  await client.begin(async (lock) => {
    await lock.unsafe(`select pg_advisory_xact_lock(${STARTUP_LOCK_KEY})`);
    // The holder sits idle while the migrations run elsewhere; a server-wide idle timeout must not end it.
    await lock.unsafe(`select set_config('idle_in_transaction_session_timeout', '0', true)`);
    await fn();
  });
}

async function hasTimescaleAggregate(db: Db): Promise<boolean> {
  const found = await rows<{ ok: boolean }>(
    db,
    sql`select exists (select 1 from pg_class where relname = 'metrics_5m') and exists (select 1 from pg_class where relname = 'metrics_1h')
      and exists (select 1 from pg_extension where extname = 'timescaledb') as ok`,
  );
  return found[0]?.ok === true;
}

import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import * as schema from "./schema";
import { lockDataDir } from "./lock";
import { rows, type Db } from "./sql";
import { AggregateRefresher, registerAggregateRefresher, setupTimescale, type TimescaleStatus } from "./timescale";

export type { Db };

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Whether metrics is a TimescaleDB hypertable with the 5-minute continuous aggregate. */
  timescale: boolean;
  timescaleStatus: TimescaleStatus;
  close(): Promise<void>;
};

export type OpenOptions =
  | { kind: "postgres"; url: string; max?: number; retentionDays: number; timescale: "auto" | "off" }
  /** dataDir undefined: an in-memory PGlite (tests). */
  | { kind: "pglite"; dataDir?: string };

const MIGRATIONS = path.join(process.cwd(), "drizzle");
/** Serialises migrations across app instances starting at once. */
const MIGRATION_LOCK_KEY = 7_294_001;

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.kind === "pglite") {
    const release = options.dataDir ? lockDataDir(options.dataDir) : () => {};
    try {
      const client = new PGlite(options.dataDir ? path.join(options.dataDir, "pglite") : undefined);
      await client.waitReady;
      const db = drizzlePglite({ client, schema });
      await migratePglite(db, { migrationsFolder: MIGRATIONS });
      return {
        db: db as unknown as Db,
        kind: "pglite",
        timescale: false,
        timescaleStatus: { state: "unavailable", reason: "PGlite has no TimescaleDB" },
        async close() {
          await client.close();
          release();
        },
      };
    } catch (err) {
      release();
      throw err;
    }
  }

  const client = postgres(options.url, { max: options.max ?? 20, onnotice: () => {}, connect_timeout: 10 });
  await migrateWithLock(options.url);
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  const timescaleStatus: TimescaleStatus =
    options.timescale === "off" ? { state: "disabled" } : await setupTimescale(db, { retentionDays: options.retentionDays });
  const timescale = timescaleStatus.state === "enabled" && (await hasTimescaleAggregate(db));
  // Late samples (older than the refresh policy's window) are materialized by this, off the request path.
  const refresher = timescale ? new AggregateRefresher(db, { log: (line) => console.error(line) }) : undefined;
  if (refresher) registerAggregateRefresher(db, refresher);
  if (refresher && timescaleStatus.state === "enabled" && timescaleStatus.hourlyCreated) {
    refresher.noteRange(Date.now() - options.retentionDays * 86_400_000, Date.now(), Date.now());
  }
  return {
    db,
    kind: "postgres",
    timescale,
    timescaleStatus,
    async close() {
      await refresher?.stop();
      await client.end({ timeout: 5 });
    },
  };
}

async function migrateWithLock(url: string) {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres({ client, schema }), { migrationsFolder: MIGRATIONS });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function hasTimescaleAggregate(db: Db): Promise<boolean> {
  const found = await rows<{ ok: boolean }>(
    db,
    sql`select exists (select 1 from pg_class where relname = 'metrics_5m') and exists (select 1 from pg_class where relname = 'metrics_1h')
      and exists (select 1 from pg_extension where extname = 'timescaledb') as ok`,
  );
  return found[0]?.ok === true;
}

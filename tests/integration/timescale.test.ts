/**
 * TimescaleDB: detection and fallback on the real server (which has no extension here), and
 * the exact statements the setup runs where the extension exists, driven through a recording
 * database that answers the catalog queries as a TimescaleDB server would.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import { sql, type SQL } from "drizzle-orm";
import type { Database, Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { continuousAggregateSql, detectTimescale, setupTimescale, timescaleSetupStatements } from "@/lib/db/timescale";
import { openTestDatabase } from "../helpers/database";

const onPostgres = !!process.env.DATABASE_URL;

describe.skipIf(!onPostgres)("on a PostgreSQL server without the extension", () => {
  let database: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ database, close } = await openTestDatabase());
  });
  afterAll(async () => close());

  it("detects that timescaledb is not available and keeps plain tables", async () => {
    expect(await detectTimescale(database.db)).toEqual({ available: false, installed: false, version: null });
    expect(database.timescaleStatus.state).toBe("unavailable");
    expect(database.timescale).toBe(false);
    const [kind] = await rows<{ relkind: string }>(database.db, sql`select relkind from pg_class where relname = 'metrics'`);
    expect(kind?.relkind).toBe("r");
  });
});

describe.skipIf(onPostgres)("on PGlite", () => {
  it("never uses TimescaleDB", async () => {
    const { database, close } = await openTestDatabase();
    expect(database.timescale).toBe(false);
    expect(database.timescaleStatus.state).toBe("unavailable");
    await close();
  });
});

/** A Db stand-in: records every statement and answers the catalog queries like TimescaleDB 2.22. */
function recordingDb(catalog: { available: boolean; installed: boolean; compressionEnabled: boolean; failOn?: RegExp }) {
  const dialect = new PgDialect();
  const statements: string[] = [];
  const db = {
    async execute(query: SQL) {
      const text = dialect.sqlToQuery(query).sql;
      statements.push(text);
      if (catalog.failOn?.test(text)) throw new Error(`could not access file "timescaledb": No such file or directory`);
      if (text.includes("pg_available_extensions")) {
        return catalog.available ? [{ default_version: "2.22.0", installed_version: catalog.installed ? "2.22.0" : null }] : [];
      }
      if (text.includes("timescaledb_information.hypertables")) return catalog.compressionEnabled ? [{ compression_enabled: true }] : [];
      return [];
    },
  };
  return { db: db as unknown as Db, statements };
}

describe("the TimescaleDB setup", () => {
  it("does nothing but detect when the extension is not available", async () => {
    const { db, statements } = recordingDb({ available: false, installed: false, compressionEnabled: false });
    expect(await setupTimescale(db, { retentionDays: 90 })).toMatchObject({ state: "unavailable" });
    expect(statements).toHaveLength(1);
  });

  it("creates the extension, hypertable, compression, retention and the continuous aggregate, in order", async () => {
    const { db, statements } = recordingDb({ available: true, installed: false, compressionEnabled: false });
    expect(await setupTimescale(db, { retentionDays: 30 })).toEqual({ state: "enabled", version: "2.22.0" });
    const ran = statements.filter((s) => !s.includes("pg_available_extensions") && !s.includes("timescaledb_information"));
    expect(ran[0]).toBe("create extension if not exists timescaledb");
    expect(ran[1]).toMatch(/create_hypertable\('metrics', by_range\('ts', interval '1 day'\)/);
    expect(ran[2]).toContain("timescaledb.compress_segmentby = 'host_id'");
    expect(ran[2]).toContain("timescaledb.compress_orderby = 'ts desc'");
    expect(ran).toContain("select add_retention_policy('metrics', interval '30 days')");
    expect(ran.some((s) => s.startsWith("create materialized view if not exists metrics_5m with (timescaledb.continuous"))).toBe(true);
    expect(ran.at(-1)).toMatch(/add_continuous_aggregate_policy\('metrics_5m'/);
  });

  it("is idempotent: a second start does not re-enable compression", async () => {
    const { db, statements } = recordingDb({ available: true, installed: true, compressionEnabled: true });
    await setupTimescale(db, { retentionDays: 90 });
    expect(statements.some((s) => s.includes("create extension"))).toBe(false);
    expect(statements.some((s) => s.includes("timescaledb.compress,"))).toBe(false);
    expect(statements).toContain("select add_retention_policy('metrics', interval '90 days')");
  });

  it("falls back cleanly when the extension exists but cannot load", async () => {
    const { db } = recordingDb({ available: true, installed: false, compressionEnabled: false, failOn: /create extension/ });
    const status = await setupTimescale(db, { retentionDays: 90 });
    expect(status.state).toBe("unavailable");
  });

  it("keeps sum and count per column in the aggregate so re-bucketing is weighted", () => {
    const view = continuousAggregateSql();
    expect(view).toContain("sum(cpu_pct) as cpu_pct_sum, count(cpu_pct) as cpu_pct_n");
    expect(view).toContain("time_bucket(interval '300 seconds', ts)");
    expect(view).toContain("timescaledb.materialized_only = false");
    expect(timescaleSetupStatements({ retentionDays: 7, compressionEnabled: false })).toHaveLength(7);
  });
});

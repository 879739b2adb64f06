/**
 * The database a test run uses: with DATABASE_URL set (CI's PostgreSQL), a fresh database
 * created on that server and dropped afterwards, so runs never share tables; otherwise PGlite.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";

export type TestDatabase = { url: string | undefined; drop(): Promise<void> };

export const testServerUrl = () => process.env.DATABASE_URL || undefined;

export async function createTestDatabase(prefix = "iw_test"): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  if (!serverUrl) return { url: undefined, drop: async () => {} };
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await c.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await c.end();
    },
  };
}

/** An opened, migrated database for integration tests: fresh PostgreSQL database or in-memory PGlite. */
export async function openTestDatabase(): Promise<{ database: import("@/lib/db/client").Database; close(): Promise<void> }> {
  const { openDatabase } = await import("@/lib/db/client");
  const created = await createTestDatabase("iw_int");
  const database = created.url
    ? await openDatabase({ kind: "postgres", url: created.url, retentionDays: 90, timescale: "auto", max: 5 })
    : await openDatabase({ kind: "pglite" });
  return {
    database,
    async close() {
      await database.close();
      await created.drop();
    },
  };
}

/** A bare host row (a random machine id), for tests that need one to hang samples or events on. */
export async function insertHost(db: import("@/lib/db/client").Database["db"], name: string): Promise<string> {
  const { hosts } = await import("@/lib/db/schema");
  const [h] = await db.insert(hosts).values({ machineId: `${name}-${Math.random()}`, hostname: name }).returning({ id: hosts.id });
  return h!.id;
}

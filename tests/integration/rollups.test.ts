/**
 * The chart rollups without TimescaleDB (plain PostgreSQL, PGlite): kept by the ingest statement,
 * read for steps of 5 minutes or more, and answering exactly what the raw rows answer (same
 * buckets, averages weighted by sample count), through resends, late data and concurrent groups.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { hosts } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { BUCKET_ORIGIN } from "@/lib/db/timescale";
import { ROLLUPS, purgeExpiredRollups, rollupBackfillSql } from "@/lib/db/rollups";
import { AGGREGATED_METRICS } from "@/lib/protocol/metrics";
import { recordTelemetry } from "@/lib/services/telemetry";
import { queryMetrics, type MetricPoint } from "@/lib/queries/metrics";
import { createTestDatabase, openTestDatabase, insertHost } from "../helpers/database";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import * as schema from "@/lib/db/schema";

let database: Database;
let close: () => Promise<void>;
const NOW = Date.now();
const HOUR = 3_600_000;
/** Six hours ending on a whole hour well in the past: every bucket is complete. */
const END = Math.floor((NOW - 2 * HOUR) / HOUR) * HOUR;
const START = END - 6 * HOUR;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
// A DATABASE_URL with TimescaleDB (a developer's server): its charts read the continuous aggregates instead.
beforeEach((ctx) => {
  if (!database.rollups) ctx.skip();
});
afterAll(async () => close());

/** Samples at uneven gaps (so buckets hold different counts), optional metrics in some only. */
function samples(fromMs: number, count: number, seed: number) {
  const out: Record<string, unknown>[] = [];
  let t = fromMs;
  for (let i = 0; i < count; i++) {
    t += 7_000 + ((i * 7919 + seed) % 53) * 1_000;
    const s: Record<string, unknown> = { ts: new Date(t).toISOString(), cpuPct: ((i * 37 + seed) % 1000) / 10, memPct: 30 + (i % 17), diskPct: 50 + (i % 3), uptimeS: 1000 + i * 10 };
    if (i % 3 !== 0) Object.assign(s, { load1: (i % 11) / 4, swapPct: i % 5, netRxBps: i * 100, procCount: 100 + (i % 9) });
    out.push(s);
  }
  return out.filter((s) => Date.parse(s.ts as string) < END);
}

const write = (hostId: string, batch: Record<string, unknown>[]) =>
  recordTelemetry(database.db, { hostId, batch: { samples: batch as never }, nowMs: NOW, retentionDays: 90 });

/** The raw rows' answer for the same buckets, computed independently of the code under test. */
async function rawAnswer(hostId: string, stepS: number) {
  const cols = AGGREGATED_METRICS.map((m) => `avg("${m.column}") as "${m.name}"`).join(", ");
  const found = await rows<Record<string, unknown>>(
    database.db,
    sql`select date_bin(${stepS}::int * interval '1 second', ts, ${sql.raw(`timestamptz '${BUCKET_ORIGIN}'`)}) as b, ${sql.raw(cols)}
      from metrics where host_id = ${hostId}::uuid and ts >= ${new Date(START).toISOString()}::timestamptz and ts < ${new Date(END).toISOString()}::timestamptz
      group by b order by b`,
  );
  return found.map((r) => {
    const p: Record<string, unknown> = { ts: new Date(r.b as string).toISOString() };
    for (const m of AGGREGATED_METRICS) if (r[m.name] !== null && r[m.name] !== undefined) p[m.name] = Number(r[m.name]);
    return p;
  });
}

function expectSameSeries(actual: MetricPoint[], expected: Record<string, unknown>[]) {
  expect(actual.map((p) => p.ts)).toEqual(expected.map((p) => p.ts));
  actual.forEach((p, i) => {
    const want = expected[i]!;
    for (const m of AGGREGATED_METRICS) {
      const got = (p as unknown as Record<string, number | undefined>)[m.name];
      if (want[m.name] === undefined) expect(got, `${p.ts} ${m.name}`).toBeUndefined();
      else expect(got, `${p.ts} ${m.name}`).toBeCloseTo(want[m.name] as number, 9);
    }
  });
}

const rollupCount = async (table: string, hostId: string) =>
  (await rows<{ n: number; samples: number }>(database.db, sql`select count(*)::int as n, coalesce(sum(cpu_pct_n), 0)::int as samples from ${sql.raw(table)} where host_id = ${hostId}::uuid`))[0]!;

describe(`chart rollups on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("are read for steps of 5 minutes or more and agree with the raw rows, bucket by bucket", async () => {
    const hostId = await insertHost(database.db, "rollup-agree");
    const all = samples(START, 900, 1);
    // In several batches, one of them resent whole (duplicates add nothing).
    for (let i = 0; i < all.length; i += 200) await write(hostId, all.slice(i, i + 200));
    expect(await write(hostId, all.slice(0, 200))).toMatchObject({ accepted: 0 });

    for (const stepS of [300, 900, 3600, 10800]) {
      const got = await queryMetrics(database, { hostId, fromMs: START, toMs: END - 1, stepS });
      expect(got.source, `step ${stepS}`).toBe("aggregate");
      expectSameSeries(got.series, await rawAnswer(hostId, stepS));
    }
    // A step that is not a multiple of 5 minutes reads raw rows.
    expect((await queryMetrics(database, { hostId, fromMs: START, toMs: END - 1, stepS: 60 })).source).toBe("raw");
    expect((await rollupCount("metrics_rollup_5m", hostId)).samples).toBe(all.length);
    expect((await rollupCount("metrics_rollup_1h", hostId)).samples).toBe(all.length);
  });

  it("take late samples into their old buckets, and concurrent overlapping requests count each stored sample once", async () => {
    const hostId = await insertHost(database.db, "rollup-late");
    const all = samples(START, 900, 2);
    const recent = all.filter((_, i) => i % 2 === 0);
    const late = all.filter((_, i) => i % 2 === 1);
    await write(hostId, recent);
    // The rest arrives later, in overlapping concurrent requests (group commit), some samples twice.
    const chunks = Array.from({ length: 12 }, (_, k) => late.filter((_, i) => i % 12 === k || i % 12 === (k + 1) % 12));
    const results = await Promise.all(chunks.map((c) => write(hostId, c)));
    expect(results.reduce((a, r) => a + r.accepted, 0)).toBe(late.length);
    for (const stepS of [300, 3600]) expectSameSeries((await queryMetrics(database, { hostId, fromMs: START, toMs: END - 1, stepS })).series, await rawAnswer(hostId, stepS));
    expect((await rollupCount("metrics_rollup_5m", hostId)).samples).toBe(all.length);
  });

  it("are what the migration's backfill builds from raw rows, and go with their host", async () => {
    const hostId = await insertHost(database.db, "rollup-backfill");
    await write(hostId, samples(START, 600, 3));
    for (const { table, stepS } of ROLLUPS) {
      const kept = await rows(database.db, sql`select * from ${sql.raw(table)} where host_id = ${hostId}::uuid order by bucket`);
      expect(kept.length, table).toBeGreaterThan(0);
      // The backfill covers every host: into a scratch copy of the table, it must build this host's rows exactly.
      const scratch = `${table}_rebuilt_${process.pid}`;
      await database.db.execute(sql.raw(`create table ${scratch} (like ${table})`));
      try {
        await database.db.execute(sql.raw(rollupBackfillSql(table, stepS).replace(`insert into ${table} `, `insert into ${scratch} `)));
        expect(await rows(database.db, sql`select * from ${sql.raw(scratch)} where host_id = ${hostId}::uuid order by bucket`), table).toEqual(kept);
      } finally {
        await database.db.execute(sql.raw(`drop table ${scratch}`));
      }
    }
    await database.db.delete(hosts).where(eq(hosts.id, hostId));
    expect(await rollupCount("metrics_rollup_5m", hostId)).toMatchObject({ n: 0 });
    expect(await rollupCount("metrics_rollup_1h", hostId)).toMatchObject({ n: 0 });
  });

  it("lose the buckets wholly past the retention period with the raw rows, and keep the rest", async () => {
    const hostId = await insertHost(database.db, "rollup-retention");
    await write(hostId, [
      { ts: new Date(NOW - 10 * 86_400_000).toISOString(), cpuPct: 1, memPct: 1, diskPct: 1, uptimeS: 1 },
      { ts: new Date(NOW - 2 * 86_400_000).toISOString(), cpuPct: 2, memPct: 2, diskPct: 2, uptimeS: 2 },
    ]);
    await purgeExpiredRollups(database.db, 5);
    expect(await rollupCount("metrics_rollup_5m", hostId)).toEqual({ n: 1, samples: 1 });
    expect(await rollupCount("metrics_rollup_1h", hostId)).toEqual({ n: 1, samples: 1 });
  });
});

describe(`upgrading a database with history to the rollups (migration 0008) on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("fills the rollups from the samples already stored, so long-range charts read the same as raw rows at once", async () => {
    const MIGRATIONS = path.join(process.cwd(), "drizzle");
    const created = await createTestDatabase("iw_rollup_upgrade");
    const pg = created.url ? postgres(created.url, { max: 2, onnotice: () => {} }) : null;
    const lite = pg ? null : new PGlite();
    const db = (pg ? drizzlePostgres({ client: pg, schema }) : drizzlePglite({ client: lite!, schema })) as unknown as Database["db"];
    const migrate = (folder: string) => (pg ? migratePostgres(db as never, { migrationsFolder: folder }) : migratePglite(db as never, { migrationsFolder: folder }));
    try {
      // The database as the release before it left it: migrations up to 0007, then samples.
      const before = await mkdtemp(path.join(os.tmpdir(), "iw-migrations-"));
      const journal = JSON.parse(await readFile(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
      const old = journal.entries.filter((e) => e.idx <= 7);
      await mkdir(path.join(before, "meta"));
      await writeFile(path.join(before, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: old }));
      for (const e of old) await copyFile(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(before, `${e.tag}.sql`));
      await migrate(before);
      await rm(before, { recursive: true });
      const [h] = await rows<{ id: string }>(db, sql`insert into hosts (machine_id, hostname) values (${`upgrade-${Math.random()}`}, 'upgrade') returning id`);
      const hostId = h!.id;
      // Raw SQL: uneven minutes, load1 in two samples of three.
      await db.execute(sql`insert into metrics (host_id, ts, cpu_pct, mem_pct, disk_pct, uptime_s, load1)
        select ${hostId}::uuid, t, extract(minute from t) + extract(hour from t) / 7, 40, 50, 100, case when extract(minute from t)::int % 3 = 0 then null else extract(minute from t) / 10 end
        from generate_series(${new Date(START).toISOString()}::timestamptz, ${new Date(END - 1).toISOString()}::timestamptz, interval '47 seconds') t`);

      await migrate(MIGRATIONS);
      const upgraded = { db, timescale: false, rollups: true };
      const raw = { db, timescale: false, rollups: false };
      for (const stepS of [300, 3600, 10800]) {
        const viaRollup = await queryMetrics(upgraded, { hostId, fromMs: START, toMs: END - 1, stepS });
        const viaRaw = await queryMetrics(raw, { hostId, fromMs: START, toMs: END - 1, stepS });
        expect([viaRollup.source, viaRaw.source]).toEqual(["aggregate", "raw"]);
        expect(viaRollup.series.length).toBeGreaterThan(1);
        expectSameSeries(viaRollup.series, viaRaw.series as unknown as Record<string, unknown>[]);
      }
    } finally {
      await pg?.end();
      await lite?.close();
      await created.drop();
    }
  });
});

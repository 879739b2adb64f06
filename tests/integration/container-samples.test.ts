/** Container stats stored with their sample, read back at a moment, and purged like samples. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { purgeExpiredContainerSamples } from "@/lib/jobs";
import type { ContainerStats } from "@/lib/protocol";
import { containersAt } from "@/lib/queries/containers";
import { recordTelemetry } from "@/lib/services/telemetry";
import { insertHost, openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;
const NOW = Date.now();

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

const web = (cpuPct: number): ContainerStats => ({ id: "5b1c0a7d", name: "web", image: "nginx:1.27", state: "running", health: "healthy", restartCount: 1, cpuPct, memBytes: 125538304, netRxBytes: 19391488, netTxBytes: 4546064 });
const old: ContainerStats = { id: "o1", name: "old", image: "busybox", state: "exited", restartCount: 0 };
const sample = (msAgo: number, containers?: ContainerStats[]) => ({ ts: new Date(NOW - msAgo).toISOString(), cpuPct: 5, memPct: 50, diskPct: 60, uptimeS: 100, ...(containers ? { containers } : {}) });
const record = (hostId: string, samples: ReturnType<typeof sample>[]) => recordTelemetry(database.db, { hostId, batch: { samples }, nowMs: NOW, retentionDays: 90 });
const stored = async (hostId: string) => (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from container_samples where host_id = ${hostId}`))[0]!.n;

describe(`container samples on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("stores a sample's containers with it, nothing for a sample without any, and nothing again for a resend", async () => {
    const hostId = await insertHost(database.db, "containers-1");
    expect(await containersAt(database.db, { hostId })).toEqual({ ts: null, containers: [] });
    const batch = [sample(30_000, [web(6), old]), sample(15_000), sample(1_000, [web(12.5)])];
    expect(await record(hostId, batch)).toEqual({ accepted: 3, duplicates: 0 });
    expect(await stored(hostId)).toBe(2);
    // The resend changes the stats: the first stored sample stands.
    expect(await record(hostId, [sample(30_000, [web(99)])])).toEqual({ accepted: 0, duplicates: 1 });
    expect(await stored(hostId)).toBe(2);

    const latest = await containersAt(database.db, { hostId });
    expect(latest).toEqual({ ts: batch[2]!.ts, containers: [web(12.5)] });
    // Nearest to a moment: 20 s ago is closer to the 30 s sample (the 15 s one carried none).
    expect(await containersAt(database.db, { hostId, atMs: NOW - 20_000 })).toEqual({ ts: batch[0]!.ts, containers: [web(6), old] });
    expect(await containersAt(database.db, { hostId, atMs: NOW - 4_000 })).toMatchObject({ ts: batch[2]!.ts });
    // Another host's samples are not this one's.
    expect(await containersAt(database.db, { hostId: await insertHost(database.db, "containers-2") })).toEqual({ ts: null, containers: [] });
  });

  it("writes the sample's metrics and containers together: a batch with a host that is gone stores neither", async () => {
    const hostId = await insertHost(database.db, "containers-3");
    await database.db.execute(sql`delete from hosts where id = ${hostId}`);
    await expect(record(hostId, [sample(2_000, [web(1)])])).rejects.toThrow(/unknown or revoked agent token/);
    expect(await stored(hostId)).toBe(0);
  });

  it("purges container samples older than the retention period", async () => {
    const hostId = await insertHost(database.db, "containers-4");
    await database.db.execute(sql`insert into container_samples (host_id, ts, containers) values
      (${hostId}, now() - interval '91 days', '[]'::jsonb), (${hostId}, now() - interval '1 day', '[]'::jsonb)`);
    await purgeExpiredContainerSamples({ db: database.db }, 90);
    expect(await stored(hostId)).toBe(1);
  });
});

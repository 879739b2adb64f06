/**
 * Group commit under failure: a request the database refuses fails alone (issue 11.14), and the
 * conflicts the database resolves by undoing a statement (deadlock, serialization failure) are
 * recognised from the real server's errors, so the writer retries exactly those.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { conflictBackoffMs, isRetryableConflict, recordTelemetry } from "@/lib/services/telemetry";
import type { TelemetryBatch } from "@/lib/protocol";
import { createTestDatabase, openTestDatabase, insertHost } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;
const NOW = Date.now();

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

const newHost = (name: string) => insertHost(database.db, name);

const sampleAt = (msAgo: number, mount = "/") => ({
  ts: new Date(NOW - msAgo).toISOString(),
  cpuPct: 1,
  memPct: 2,
  diskPct: 3,
  uptimeS: 4,
  disks: [{ mount, pct: 3, usedBytes: 3, totalBytes: 100 }],
});

describe(`a poisoned request in a group on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("fails alone; every other request of its group is stored and acknowledged", async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => newHost(`poison-${i}`)));
    // Validation would refuse a NUL (400); written straight to the service it reaches the
    // group statement, where the jsonb cast fails. The first four requests take the four
    // write slots alone; the next four queue and go out as one group with the poison in it.
    const batches: TelemetryBatch[] = ids.map((_, i) => ({ samples: [sampleAt(1000 + i, i === 5 ? "/mnt/\u0000bad" : `/mnt/${i}`)] }));
    const results = await Promise.allSettled(ids.map((hostId, i) => recordTelemetry(database.db, { hostId, batch: batches[i]!, nowMs: NOW, retentionDays: 90 })));
    expect(results[5]!.status).toBe("rejected");
    results.forEach((r, i) => {
      if (i !== 5) expect(r, `request ${i}`).toEqual({ status: "fulfilled", value: { accepted: 1, duplicates: 0 } });
    });
    const stored = await rows<{ host_id: string }>(database.db, sql`select host_id from metrics where host_id in ${ids}`);
    expect(new Set(stored.map((r) => r.host_id))).toEqual(new Set(ids.filter((_, i) => i !== 5)));
  });
});

describe(`poisoned host facts in a group on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("fail only their own request; the others' facts and samples are stored and acknowledged", async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => newHost(`facts-poison-${i}`)));
    const batches: TelemetryBatch[] = ids.map((_, i) => ({ host: { hostname: i === 6 ? "bad\u0000name" : `fine-${i}` }, samples: [sampleAt(2000 + i)] }));
    const results = await Promise.allSettled(ids.map((hostId, i) => recordTelemetry(database.db, { hostId, batch: batches[i]!, nowMs: NOW, retentionDays: 90 })));
    expect(results[6]!.status).toBe("rejected");
    results.forEach((r, i) => {
      if (i !== 6) expect(r, `request ${i}`).toEqual({ status: "fulfilled", value: { accepted: 1, duplicates: 0 } });
    });
    const named = await rows<{ id: string; hostname: string }>(database.db, sql`select id, hostname from hosts where id in ${ids}`);
    for (const h of named) expect(h.hostname).toBe(h.id === ids[6] ? "facts-poison-6" : `fine-${ids.indexOf(h.id)}`);
  });
});

describe("conflict backoff", () => {
  it("is jittered, bounded and grows with the attempt", () => {
    expect(conflictBackoffMs(2, () => 0)).toBe(5);
    expect(conflictBackoffMs(2, () => 0.999)).toBeLessThan(40);
    expect(conflictBackoffMs(5, () => 0.999)).toBeLessThan(320);
    expect(conflictBackoffMs(50, () => 0.999)).toBeLessThan(640);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("retry classification against the real server", () => {
  const created = createTestDatabase("iw_conflict");
  let client: ReturnType<typeof postgres>;
  beforeAll(async () => {
    const url = (await created).url!;
    client = postgres(url, { max: 2, onnotice: () => {} });
    await client`create table t (id int primary key, v int)`;
    await client`insert into t values (1, 0), (2, 0)`;
  });
  afterAll(async () => {
    await client.end();
    await (await created).drop();
  });

  it("recognises a real deadlock (40P01) and a real serialization failure (40001) through drizzle", async () => {
    const db = drizzle({ client });
    // Two transactions lock rows 1 and 2 in opposite orders: the server undoes one of them.
    let bothHoldOne!: () => void;
    const ready = new Promise<void>((r) => (bothHoldOne = r));
    let holding = 0;
    const crossing = (first: number, second: number) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`update t set v = v + 1 where id = ${first}`);
        if (++holding === 2) bothHoldOne();
        await ready;
        await tx.execute(sql`update t set v = v + 1 where id = ${second}`);
      });
    const deadlock = await Promise.allSettled([crossing(1, 2), crossing(2, 1)]);
    const undone = deadlock.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
    expect(undone).toHaveLength(1);
    expect(isRetryableConflict(undone[0])).toBe(true);

    // Serializable transactions that each read what the other writes: one must fail with 40001.
    let bothRead!: () => void;
    const read = new Promise<void>((r) => (bothRead = r));
    let reads = 0;
    const skew = (readId: number, writeId: number) =>
      db.transaction(
        async (tx) => {
          await tx.execute(sql`select v from t where id = ${readId}`);
          if (++reads === 2) bothRead();
          await read;
          await tx.execute(sql`update t set v = v + 1 where id = ${writeId}`);
        },
        { isolationLevel: "serializable" },
      );
    const serial = await Promise.allSettled([skew(1, 2), skew(2, 1)]);
    const failed = serial.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
    expect(failed).toHaveLength(1);
    expect(isRetryableConflict(failed[0])).toBe(true);

    // The statement's own faults are not retried.
    const duplicate = await db.execute(sql`insert into t values (1, 0)`).catch((e: unknown) => e);
    expect(isRetryableConflict(duplicate)).toBe(false);
    expect(isRetryableConflict(new Error("connection reset"))).toBe(false);
  });
});

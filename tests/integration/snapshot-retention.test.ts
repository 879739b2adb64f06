/** Snapshot retention (IW_SNAPSHOT_RETENTION_DAYS), run by the hourly maintenance job. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { hosts, snapshotDiffs, snapshots } from "@/lib/db/schema";
import { backgroundJobs } from "@/lib/jobs";
import { parseEnv } from "@/lib/env";
import type { AppContext } from "@/lib/context";
import { purgeExpiredSnapshots } from "@/lib/services/snapshots";
import { openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

const day = 86_400_000;

async function hostWithSnapshots(ageDays: number[]) {
  const [h] = await database.db.insert(hosts).values({ machineId: `m-${Math.random()}`, hostname: "snap" }).returning({ id: hosts.id });
  const ids: string[] = [];
  for (const age of ageDays) {
    const [s] = await database.db
      .insert(snapshots)
      .values({ hostId: h!.id, ts: new Date(Date.now() - age * day), contentHash: `h${age}`, packages: [], env: {}, packageCount: 0, envCount: 0, summary: "x" })
      .returning({ id: snapshots.id });
    ids.push(s!.id);
  }
  return { hostId: h!.id, ids };
}

const agesLeft = async (hostId: string) =>
  (await database.db.select({ ts: snapshots.ts }).from(snapshots).where(eq(snapshots.hostId, hostId)))
    .map((r) => Math.round((Date.now() - r.ts.getTime()) / day))
    .sort((a, b) => a - b);

describe("snapshot retention", () => {
  it("deletes snapshots older than the retention period and keeps the newer ones", async () => {
    const { hostId, ids } = await hostWithSnapshots([400, 100, 31, 29, 1]);
    await database.db.insert(snapshotDiffs).values([
      { hostId, snapshotId: ids[1]!, previousId: ids[0]!, diff: { packages: { added: [], removed: [], changed: [] }, env: { added: [], removed: [], changed: [] }, kernel: null, os: null }, summary: "old" },
      { hostId, snapshotId: ids[3]!, previousId: ids[2]!, diff: { packages: { added: [], removed: [], changed: [] }, env: { added: [], removed: [], changed: [] }, kernel: null, os: null }, summary: "kept" },
    ]);
    expect(await purgeExpiredSnapshots(database.db, 30)).toBe(3);
    expect(await agesLeft(hostId)).toEqual([1, 29]);
    const diffs = await database.db.select({ summary: snapshotDiffs.summary, previousId: snapshotDiffs.previousId }).from(snapshotDiffs).where(eq(snapshotDiffs.hostId, hostId));
    expect(diffs).toEqual([{ summary: "kept", previousId: null }]);
  });

  it("always keeps a host's latest snapshot, however old", async () => {
    const { hostId } = await hostWithSnapshots([500, 200]);
    const other = await hostWithSnapshots([300]);
    await purgeExpiredSnapshots(database.db, 30);
    expect(await agesLeft(hostId)).toEqual([200]);
    expect(await agesLeft(other.hostId)).toEqual([300]);
  });

  it("runs in the maintenance jobs with the configured period", async () => {
    const { hostId } = await hostWithSnapshots([20, 10, 1]);
    const ctx = { env: parseEnv({ IW_SNAPSHOT_RETENTION_DAYS: "5", IW_ALERT_INTERVAL_S: "0" }), database, db: database.db } as unknown as AppContext;
    const job = backgroundJobs(ctx).find((j) => j.name === "snapshot retention");
    expect(job).toBeDefined();
    await job!.run();
    expect(await agesLeft(hostId)).toEqual([1]);
  });

  it("defaults to a year and refuses a period below one day", () => {
    expect(parseEnv({}).snapshotRetentionDays).toBe(365);
    expect(() => parseEnv({ IW_SNAPSHOT_RETENTION_DAYS: "0" })).toThrow(/IW_SNAPSHOT_RETENTION_DAYS/);
  });
});

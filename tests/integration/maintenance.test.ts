/** The hourly maintenance jobs: metrics retention (without TimescaleDB) and auth token cleanup. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { authTokens, hosts, metrics, users } from "@/lib/db/schema";
import { purgeExpiredMetrics } from "@/lib/jobs";
import { purgeAuthTokens } from "@/lib/services/auth";
import { openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

describe("maintenance", () => {
  it("deletes samples older than the retention period and keeps the rest", async () => {
    const [h] = await database.db.insert(hosts).values({ machineId: `m-${Math.random()}`, hostname: "old" }).returning({ id: hosts.id });
    const day = 86_400_000;
    const row = (ageDays: number) => ({ hostId: h!.id, ts: new Date(Date.now() - ageDays * day), cpuPct: 1, memPct: 1, diskPct: 1, uptimeS: 1 });
    await database.db.insert(metrics).values([row(100), row(91), row(89), row(1)]);
    await purgeExpiredMetrics(database, 90);
    const left = await database.db.select({ ts: metrics.ts }).from(metrics).where(eq(metrics.hostId, h!.id));
    expect(left.map((r) => Math.round((Date.now() - r.ts.getTime()) / day)).sort((a, b) => a - b)).toEqual([1, 89]);
  });

  it("removes expired refresh tokens and ones revoked over a day ago, keeps rotated ones for reuse detection", async () => {
    const [u] = await database.db.insert(users).values({ email: `m${Math.random()}@x.test`, role: "viewer", passwordHash: "x" }).returning({ id: users.id });
    const family = "00000000-0000-4000-8000-00000000000a";
    const base = { userId: u!.id, familyId: family };
    const future = new Date(Date.now() + 86_400_000);
    await database.db.insert(authTokens).values([
      { ...base, tokenHash: `expired-${Math.random()}`, expiresAt: new Date(Date.now() - 1000) },
      { ...base, tokenHash: `revoked-old-${Math.random()}`, expiresAt: future, revokedAt: new Date(Date.now() - 2 * 86_400_000) },
      { ...base, tokenHash: `revoked-new-${Math.random()}`, expiresAt: future, revokedAt: new Date() },
      { ...base, tokenHash: `rotated-${Math.random()}`, expiresAt: future, rotatedAt: new Date(Date.now() - 3 * 86_400_000) },
      { ...base, tokenHash: `live-${Math.random()}`, expiresAt: future },
    ]);
    await purgeAuthTokens(database);
    const left = await database.db.select({ hash: authTokens.tokenHash }).from(authTokens).where(eq(authTokens.userId, u!.id));
    expect(left.map((r) => r.hash.split("-")[0]).sort()).toEqual(["live", "revoked", "rotated"]);
  });
});

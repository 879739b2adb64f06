/** Re-enrollment requests do not pile up: after 30 days, decided or not, the hourly job drops them. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { hosts, pendingReenrollments } from "@/lib/db/schema";
import { backgroundJobs } from "@/lib/jobs";
import { parseEnv } from "@/lib/env";
import type { AppContext } from "@/lib/context";
import { purgeStaleReenrollments } from "@/lib/services/enrollment";
import { openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

describe("re-enrollment request cleanup", () => {
  it("deletes requests older than 30 days and keeps recent ones, pending or decided", async () => {
    const [h] = await database.db.insert(hosts).values({ machineId: `m-${Math.random()}`, hostname: "re" }).returning({ id: hosts.id });
    const at = (days: number) => new Date(Date.now() - days * 86_400_000);
    const base = { hostId: h!.id, hostname: "re", sourceAddress: "192.0.2.1", enrollmentTokenHash: "x" };
    await database.db.insert(pendingReenrollments).values([
      { ...base, createdAt: at(45), status: "pending" },
      { ...base, createdAt: at(31), status: "rejected", decidedAt: at(30) },
      { ...base, createdAt: at(29), status: "pending" },
      { ...base, createdAt: at(1), status: "approved", decidedAt: at(1) },
    ]);
    expect(await purgeStaleReenrollments(database.db)).toBe(2);
    const left = await database.db.select({ status: pendingReenrollments.status }).from(pendingReenrollments).where(eq(pendingReenrollments.hostId, h!.id));
    expect(left.map((r) => r.status).sort()).toEqual(["approved", "pending"]);
  });

  it("runs among the hourly jobs", () => {
    const ctx = { db: database.db, database, env: parseEnv({}) } as unknown as AppContext;
    expect(backgroundJobs(ctx).map((j) => j.name)).toContain("re-enrollment request cleanup");
  });
});

/**
 * A transaction resolves only when it committed (issue 10: enrollments answered 201 through
 * PgBouncer were never stored). PostgreSQL answers COMMIT in an aborted transaction with the
 * tag ROLLBACK and no error; nothing above the driver would notice.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { hosts } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { NOT_COMMITTED } from "@/lib/db/transaction";
import { errorResponse } from "@/lib/http/respond";
import { openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

const stored = async (machineId: string) => (await database.db.select({ id: hosts.id }).from(hosts).where(eq(hosts.machineId, machineId))).length === 1;

describe(`transactions on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("a transaction whose statement failed (error swallowed inside it) rejects instead of resolving as committed", async () => {
    const machineId = `aborted-${Math.random()}`;
    const outcome = await database.db
      .transaction(async (tx) => {
        await tx.insert(hosts).values({ machineId, hostname: "aborted" });
        // The failure aborts the transaction; its COMMIT can only be a ROLLBACK now.
        await tx.execute(sql`select 1 / 0`).catch(() => {});
        return "resolved";
      })
      .then(
        (v) => v,
        (err: unknown) => err,
      );
    expect(await stored(machineId)).toBe(false);
    expect((outcome as { code?: string }).code).toBe(NOT_COMMITTED);
    // A handler that hits it answers 503 (retryable), not 2xx and not 500.
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(errorResponse(outcome).status).toBe(503);
    vi.restoreAllMocks();
  });

  it("a transaction that resolved is stored", async () => {
    const machineId = `ok-${Math.random()}`;
    await database.db.transaction(async (tx) => {
      await tx.insert(hosts).values({ machineId, hostname: "ok" });
    });
    expect(await stored(machineId)).toBe(true);
  });

  // What PgBouncer did: the client connection's named prepared statement for COMMIT is unknown
  // to the server connection the transaction runs on. DEALLOCATE ALL does the same on a direct one.
  it.skipIf(!process.env.DATABASE_URL)("a COMMIT whose prepared statement is gone on the server still commits or rejects, never resolves unstored", async () => {
    const results: { machineId: string; resolved: boolean }[] = [];
    for (let i = 0; i < 4; i++) {
      const machineId = `dealloc-${i}-${Math.random()}`;
      const resolved = await database.db
        .transaction(async (tx) => {
          await tx.insert(hosts).values({ machineId, hostname: `dealloc-${i}` });
          await tx.execute(sql`deallocate all`);
        })
        .then(
          () => true,
          () => false,
        );
      results.push({ machineId, resolved });
    }
    for (const r of results) expect({ ...r, stored: await stored(r.machineId) }).toEqual({ ...r, stored: r.resolved });
  });
});

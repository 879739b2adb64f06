/**
 * A failed statement is logged once, on one line, with its SQLSTATE and constraint and the
 * request's host id and sample count, never its parameters (issue 10: a failed 1000-sample batch
 * wrote its whole parameter list to the log).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { hosts } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/respond";
import { openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());
afterEach(() => vi.restoreAllMocks());

const SECRET = "PARAM-VALUE-must-not-be-logged";

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error("the statement did not fail");
}

function logged(err: unknown, fields: Record<string, string | number>) {
  const lines: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  const res = errorResponse(err, "POST /api/telemetry", fields);
  errorResponse(err, "POST /api/telemetry", fields); // the same error again (another request of its group)
  return { res, lines };
}

describe(`failure log lines on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("a failing insert: one line with route, SQLSTATE, constraint, host id and sample count, no parameters", async () => {
    const machineId = `dup-${Math.random()}`;
    await database.db.insert(hosts).values({ machineId, hostname: "first" });
    const err = await failure(() => database.db.insert(hosts).values({ machineId, hostname: SECRET, agentTokenHash: SECRET }));
    const { res, lines } = logged(err, { hostId: "00000000-0000-0000-0000-00000000abcd", samples: 1000 });
    expect(res.status).toBe(500);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).not.toContain("\n");
    expect(line).not.toContain(SECRET);
    expect(line).not.toContain(machineId);
    expect(line).not.toMatch(/params|insert into/i);
    expect(line).toContain("POST /api/telemetry");
    expect(line).toContain("sqlstate=23505");
    expect(line).toMatch(/constraint=hosts_machine_id/);
    expect(line).toContain("host=00000000-0000-0000-0000-00000000abcd");
    expect(line).toContain("samples=1000");
  });

  it("a data exception's message, which quotes the input, is left out", async () => {
    const err = await failure(() => database.db.execute(sql`select ${SECRET}::uuid`));
    const { lines } = logged(err, {});
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("sqlstate=22P02");
    expect(lines[0]).not.toContain(SECRET);
  });
});

import { describe, expect, it } from "vitest";
import { formatDbError } from "./log";

/** The shape drizzle throws: its own message with the SQL and every parameter, the driver's error as cause. */
function drizzleError(cause: Record<string, unknown>) {
  return Object.assign(new Error("Failed query: insert into metrics values ($1, $2)\nparams: secret-1,secret-2"), { cause: Object.assign(new Error(String(cause.message)), cause) });
}

describe("formatDbError", () => {
  it("reads the driver's fields through drizzle's wrapping and drops the query and its parameters", () => {
    const err = drizzleError({ code: "23503", constraint_name: "metrics_host_id_hosts_id_fk", table_name: "metrics", message: "insert or update on table \"metrics\" violates foreign key constraint", query: "insert ... secret-1", parameters: ["secret-1", "secret-2"] });
    const line = formatDbError("POST /api/telemetry", err, { hostId: "h-1", samples: 2 });
    expect(line).toBe('[infra-watch] POST /api/telemetry failed: sqlstate=23503 constraint=metrics_host_id_hosts_id_fk table=metrics host=h-1 samples=2 - insert or update on table "metrics" violates foreign key constraint');
  });

  it("leaves out a data exception's message (it quotes the input)", () => {
    expect(formatDbError("x", drizzleError({ code: "22P02", message: 'invalid input syntax for type uuid: "secret-1"' }))).toBe("[infra-watch] x failed: sqlstate=22P02");
  });

  it("a missing prepared statement hints at IW_DB_POOLER", () => {
    expect(formatDbError("alert evaluation", Object.assign(new Error('prepared statement "p1" does not exist'), { code: "26000" }))).toMatch(/IW_DB_POOLER=transaction/);
  });

  it("an error of our own keeps its message and where it was thrown, on one line", () => {
    const line = formatDbError("GET /api/hosts", new TypeError("x is not a function\nsecond line"));
    expect(line).toMatch(/^\[infra-watch\] GET \/api\/hosts failed: - x is not a function second line \(at .+\)$/);
  });
});

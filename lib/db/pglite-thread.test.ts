/**
 * The embedded database's thread: PGlite's semantics across the message port (results, errors
 * with their SQLSTATE, transactions that commit, roll back and exclude other statements) and a
 * clear, lasting failure when the thread is gone.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_THREAD_GONE, PgliteThread } from "./pglite-thread";
import { dbErrorCode } from "./sql";

let db: PgliteThread;
beforeAll(async () => {
  db = new PgliteThread();
  await db.waitReady;
  await db.exec("create table t (id int primary key, note text, at timestamptz)");
}, 60_000);
afterAll(async () => db.close());

describe("PgliteThread", () => {
  it("answers queries with rows, fields and affected rows, in object or array mode", async () => {
    const insert = await db.query("insert into t values ($1, $2, $3), ($4, $5, $6)", [1, "a", "2026-01-01T00:00:00Z", 2, "b", null]);
    expect(insert.affectedRows).toBe(2);
    const objects = await db.query("select id, note from t order by id");
    expect(objects.rows).toEqual([{ id: 1, note: "a" }, { id: 2, note: "b" }]);
    expect(objects.fields.map((f) => f.name)).toEqual(["id", "note"]);
    const arrays = await db.query("select id, note from t order by id", [], { rowMode: "array" });
    expect(arrays.rows).toEqual([[1, "a"], [2, "b"]]);
  });

  it("keeps the types whose parsers the caller names as text (as drizzle asks for dates)", async () => {
    const parsed = await db.query("select at from t where id = 1");
    expect(parsed.rows[0]).toEqual({ at: new Date("2026-01-01T00:00:00Z") });
    const text = await db.query("select at from t where id = 1", [], { parsers: { 1184: (v: string) => v } });
    expect(text.rows[0]).toEqual({ at: "2026-01-01 00:00:00+00" });
  });

  it("rejects with the database's SQLSTATE and constraint", async () => {
    const err = await db.query("insert into t values (1, 'again', null)").catch((e: unknown) => e);
    expect(dbErrorCode(err)).toBe("23505");
    expect((err as { constraint?: string }).constraint).toBe("t_pkey");
  });

  it("commits a transaction whose callback resolves and rolls back one that throws", async () => {
    await db.transaction(async (tx) => {
      await tx.query("insert into t values (10, 'kept', null)");
    });
    const failed = await db
      .transaction(async (tx) => {
        await tx.query("insert into t values (11, 'dropped', null)");
        throw new Error("boom");
      })
      .catch((e: Error) => e.message);
    expect(failed).toBe("boom");
    const ids = await db.query("select id from t where id >= 10 order by id");
    expect(ids.rows).toEqual([{ id: 10 }]);
  });

  it("runs a statement from outside only after the open transaction ends", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const tx = db.transaction(async (t) => {
      await t.query("insert into t values (20, 'tx', null)");
      await gate;
      order.push("commit");
    });
    // Give the transaction time to open before the outside read is sent.
    await new Promise((r) => setTimeout(r, 50));
    const outside = db.query("select count(*)::int as n from t where id = 20").then((r) => {
      order.push("read");
      return r.rows[0];
    });
    await new Promise((r) => setTimeout(r, 50));
    release();
    await tx;
    expect(await outside).toEqual({ n: 1 });
    expect(order).toEqual(["commit", "read"]);
  });

  it("refuses statements on a transaction that has ended", async () => {
    let leaked: Parameters<Parameters<PgliteThread["transaction"]>[0]>[0] | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query("select 1")).rejects.toThrow(/closed/);
  });

  it("fails every call, now and later, with a database-unavailable code once the thread is gone", { timeout: 60_000 }, async () => {
    const lost = new PgliteThread();
    await lost.waitReady;
    await (lost as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const err = await lost.query("select 1").catch((e: unknown) => e);
    expect(dbErrorCode(err)).toBe(DATABASE_THREAD_GONE);
    await lost.close();
  });

  it("keeps a process that only opens the database alive until the thread is ready", { timeout: 90_000 }, () => {
    const script = `import { PgliteThread } from "./lib/db/pglite-thread.ts";
const db = new PgliteThread();
await db.waitReady;
console.log((await db.query("select 41 + 1 as n")).rows[0].n);
await db.close();`;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(out.trim()).toBe("42");
  });
});

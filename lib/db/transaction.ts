/**
 * Transactions that cannot resolve unless they committed.
 *
 * PostgreSQL answers COMMIT in an aborted transaction with the command tag ROLLBACK and no
 * error. postgres.js' `begin` never looks at that tag, so whenever a statement of the
 * transaction failed without its error reaching the callback, the transaction resolved as if
 * it had committed, and the handler answered 2xx for a write that was rolled back. That is what
 * lost enrollments through PgBouncer (issue 10): postgres.js prepares `commit` as a named
 * statement on its client connection; in transaction pooling the next transaction runs on
 * another server connection where that name does not exist, the COMMIT fails with 26000 and
 * aborts the transaction, postgres.js retries it once as a fresh statement (COMMIT is allowed in
 * an aborted transaction) and gets ROLLBACK, which it reports as success.
 *
 * Every service goes through `db.transaction`, so the check lives here, below all of them:
 * on postgres.js the client's `begin` is replaced by one that reads COMMIT's tag; on PGlite
 * (one connection, no pooler, no tag in its API) a last statement inside the transaction
 * proves it is not aborted before PGlite commits.
 */
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { dbErrorCode, type Db } from "./sql";

const IN_FAILED_TRANSACTION = "25P02";

/** Our own code for "the transaction did not commit"; answered as 503, the write may be retried. */
export const NOT_COMMITTED = "IW_NOT_COMMITTED";

export class TransactionNotCommittedError extends Error {
  readonly code = NOT_COMMITTED;
  constructor(readonly commandTag: string) {
    super(`the transaction did not commit (COMMIT answered ${commandTag || "nothing"}); nothing of it was stored`);
  }
}

type TxFn = (tx: postgres.TransactionSql) => unknown;

/**
 * postgres.js' `begin(fn)` / `begin(mode, fn)` on a reserved connection, with every statement of
 * the transaction and its COMMIT sent without named prepared statements, and COMMIT's tag checked.
 */
export function verifiedBegin(client: postgres.Sql) {
  return async function begin(modeOrFn: string | TxFn, maybeFn?: TxFn): Promise<unknown> {
    const fn = (typeof modeOrFn === "function" ? modeOrFn : maybeFn) as TxFn;
    const mode = typeof modeOrFn === "string" ? modeOrFn.replace(/[^a-z ]/gi, "") : "";
    const conn = await client.reserve();
    try {
      await conn.unsafe(`begin ${mode}`);
      let result: unknown;
      try {
        result = await fn(withSavepoints(conn));
      } catch (err) {
        await conn.unsafe("rollback").catch(() => {});
        throw err;
      }
      const done = await conn.unsafe("commit");
      if (done.command !== "COMMIT") throw new TransactionNotCommittedError(done.command);
      return result;
    } finally {
      conn.release();
    }
  };
}

let savepointSeq = 0;
function withSavepoints(conn: postgres.ReservedSql): postgres.TransactionSql {
  const tx = conn as unknown as postgres.TransactionSql & { savepoint: unknown };
  tx.savepoint = async (nameOrFn: string | TxFn, maybeFn?: TxFn) => {
    const fn = (typeof nameOrFn === "function" ? nameOrFn : maybeFn) as TxFn;
    const name = `s${++savepointSeq}`;
    await conn.unsafe(`savepoint ${name}`);
    try {
      const result = await fn(tx);
      await conn.unsafe(`release savepoint ${name}`);
      return result;
    } catch (err) {
      await conn.unsafe(`rollback to savepoint ${name}`).catch(() => {});
      throw err;
    }
  };
  return tx;
}

/** The postgres.js client drizzle is given: the same client, with the verified `begin`. */
export function withVerifiedCommit(client: postgres.Sql): postgres.Sql {
  const begin = verifiedBegin(client);
  return new Proxy(client, { get: (target, key, receiver) => (key === "begin" ? begin : Reflect.get(target, key, receiver)) });
}

/**
 * PGlite: before the callback's result is returned (and PGlite commits), one statement inside
 * the transaction; in an aborted transaction it fails with 25P02, so the transaction rejects
 * and rolls back instead of "committing" into a ROLLBACK.
 */
export function verifyPgliteCommits(db: Db): Db {
  const original = db.transaction.bind(db);
  const transaction: Db["transaction"] = (fn, config) =>
    original(async (tx) => {
      const result = await fn(tx);
      try {
        await tx.execute(sql`select 1`);
      } catch (err) {
        if (dbErrorCode(err) === IN_FAILED_TRANSACTION) throw new TransactionNotCommittedError("ROLLBACK");
        throw err;
      }
      return result;
    }, config);
  return Object.assign(db, { transaction });
}

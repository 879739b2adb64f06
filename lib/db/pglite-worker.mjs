// @ts-check
/**
 * The embedded database's own thread: owns the one PGlite instance and answers the requests of
 * `PgliteThread` (./pglite-thread.ts) over the worker's message port. PGlite runs PostgreSQL as
 * WebAssembly on the thread that calls it; here that is not the thread serving HTTP, so a
 * statement no longer stalls every request in flight.
 *
 * Plain JavaScript, loaded by path at run time: Next's server bundle and the test runner both
 * start it with `new Worker(file)` and need no build step for it. The semantics are PGlite's own:
 * requests are run in the order they arrive; a query outside a transaction waits for the open
 * transaction to end (PGlite's transaction mutex); statements of a transaction run on its `tx`.
 *
 * Messages in:  {id, op: "query", text, params, rowMode, rawTypes, tx?} | {id, op: "exec", text, tx?}
 *               | {id, op: "begin"} | {id, op: "end", tx, commit} | {id, op: "close"}
 * Messages out: {op: "ready"} | {op: "failed", error} | {id, result} | {id, error}
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

if (!parentPort) throw new Error("pglite-worker.mjs runs as a worker thread");
const port = parentPort;

/** The fields of a database error the server reads (SQLSTATE, constraint, table...), as plain data. */
const ERROR_FIELDS = ["code", "severity", "detail", "hint", "position", "schema", "table", "column", "dataType", "constraint", "where", "routine"];

/** @param {unknown} err */
function errorData(err) {
  const e = /** @type {Record<string, unknown>} */ (err && typeof err === "object" ? err : { message: String(err) });
  /** @type {Record<string, unknown>} */
  const out = { name: typeof e.name === "string" ? e.name : "Error", message: typeof e.message === "string" ? e.message : String(err) };
  for (const key of ERROR_FIELDS) if (typeof e[key] === "string" || typeof e[key] === "number") out[key] = e[key];
  return out;
}

/**
 * PGlite query options: array rows when asked, and identity parsers for the type ids the caller
 * wants as text (drizzle keeps dates and intervals as strings).
 * @param {string | undefined} rowMode
 * @param {number[] | undefined} rawTypes
 */
function queryOptions(rowMode, rawTypes) {
  /** @type {Record<string, unknown>} */
  const options = {};
  if (rowMode === "array") options.rowMode = "array";
  if (rawTypes && rawTypes.length > 0) options.parsers = Object.fromEntries(rawTypes.map((t) => [t, (/** @type {string} */ v) => v]));
  return options;
}

/**
 * PostgreSQL's shared buffers inside PGlite's WebAssembly memory. PGlite's default, 128 MB, is
 * about 100 MB of resident memory once touched; the file system's page cache serves what
 * falls out of 32 MB (measured: 374 MB -> 252 MB resident after repeated scans of a 70 MB table).
 */
const SHARED_BUFFERS = "32MB";

const dataDir = /** @type {{dataDir?: string}} */ (workerData ?? {}).dataDir;
const pg = new PGlite(dataDir, { startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`] });

/**
 * An open transaction: its `tx` handle (set once PGlite runs the callback), how to end it, and
 * PGlite's promise for the whole transaction (settles after COMMIT or ROLLBACK).
 * @typedef {{tx?: import("@electric-sql/pglite").Transaction, end?: (commit: boolean) => void, done?: Promise<unknown>}} OpenTransaction
 */
/** @type {Map<number, OpenTransaction>} */
const transactions = new Map();
let nextTx = 1;

/** A rejection that ends a transaction with ROLLBACK without being reported as a failure. */
const ROLLBACK = Symbol("rollback");

/** @param {{tx?: number}} msg */
function target(msg) {
  if (msg.tx === undefined) return pg;
  const open = transactions.get(msg.tx);
  if (!open?.tx) throw new Error("Transaction is closed");
  return open.tx;
}

/** @param {number} id @param {() => Promise<unknown>} work */
function answer(id, work) {
  work().then(
    (result) => port.postMessage({ id, result }),
    (err) => port.postMessage({ id, error: errorData(err) }),
  );
}

port.on("message", (msg) => {
  switch (msg.op) {
    case "query":
      answer(msg.id, async () => {
        const r = await target(msg).query(msg.text, msg.params, queryOptions(msg.rowMode, msg.rawTypes));
        return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows };
      });
      return;
    case "exec":
      answer(msg.id, async () => (await target(msg).exec(msg.text)).map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows })));
      return;
    case "begin": {
      const txId = nextTx++;
      /** @type {OpenTransaction} */
      const open = {};
      // PGlite's transaction() runs the callback once it holds the transaction mutex; the callback
      // stays pending until the caller's "end", so PGlite commits (or rolls back) exactly then.
      open.done = pg.transaction(
        (tx) =>
          new Promise((resolve, reject) => {
            open.tx = tx;
            open.end = (commit) => (commit ? resolve(undefined) : reject(ROLLBACK));
            transactions.set(txId, open);
            port.postMessage({ id: msg.id, result: { tx: txId } });
          }),
      );
      // BEGIN itself failed: the caller is still waiting for its answer.
      open.done.catch((err) => {
        if (!open.tx) port.postMessage({ id: msg.id, error: errorData(err) });
      });
      return;
    }
    case "end": {
      const open = transactions.get(msg.tx);
      if (!open?.end || !open.done) {
        port.postMessage({ id: msg.id, error: { name: "Error", message: "Transaction is closed" } });
        return;
      }
      transactions.delete(msg.tx);
      open.end(Boolean(msg.commit));
      open.done.then(
        () => port.postMessage({ id: msg.id, result: null }),
        (err) => port.postMessage(err === ROLLBACK ? { id: msg.id, result: null } : { id: msg.id, error: errorData(err) }),
      );
      return;
    }
    case "close":
      answer(msg.id, async () => {
        await pg.close();
        return null;
      });
      return;
    default:
      port.postMessage({ id: msg.id, error: { name: "Error", message: `unknown request ${String(msg.op)}` } });
  }
});

pg.waitReady.then(
  () => port.postMessage({ op: "ready" }),
  (err) => port.postMessage({ op: "failed", error: errorData(err) }),
);

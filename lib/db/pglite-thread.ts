/**
 * The embedded database on a thread of its own.
 *
 * PGlite runs PostgreSQL as WebAssembly on the thread that calls it. Called from the server's
 * event loop, every statement stopped every request in flight: on the embedded default one
 * process served about 170 single-sample posts/s with a p99 over a second (issue 17). Here the
 * PGlite instance lives in a worker thread (./pglite-worker.mjs) that owns it alone, and this
 * class answers for it with the part of PGlite's interface drizzle's driver uses (`query`,
 * `exec`, `transaction`), forwarding each call over the worker's message port.
 *
 * The data directory's single-owner lock stays with the process (./lock.ts): one process, one
 * worker, one PGlite. If the worker dies, every call in flight and every later call fails with
 * `DATABASE_THREAD_GONE`, which the HTTP layer answers as 503 (the database is unavailable).
 */
import path from "node:path";
import { Worker } from "node:worker_threads";

/** The driver code of "the database thread is gone": answered 503, like a lost connection. */
export const DATABASE_THREAD_GONE = "IW_DATABASE_THREAD_GONE";

export interface ThreadResults {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

/** The query options drizzle passes: a row mode, and parsers that keep some types as text. */
export interface ThreadQueryOptions {
  rowMode?: "array" | "object";
  parsers?: Record<number, unknown>;
}

export interface ThreadTransaction {
  query(text: string, params?: unknown[], options?: ThreadQueryOptions): Promise<ThreadResults>;
  exec(text: string): Promise<ThreadResults[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

/** A database error from the worker: PGlite's message and fields (code, constraint, table...). */
export class PgliteThreadError extends Error {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
  constructor(data: Record<string, unknown>) {
    super(typeof data.message === "string" ? data.message : "database error");
    this.name = typeof data.name === "string" ? data.name : "Error";
    Object.assign(this, Object.fromEntries(Object.entries(data).filter(([k]) => k !== "message" && k !== "name")));
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

/** The worker's file: beside this one in the source tree, found from the working directory as the migrations are. */
export const WORKER_FILE = path.join(process.cwd(), "lib", "db", "pglite-worker.mjs");

export class PgliteThread {
  readonly waitReady: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private gone: Error | null = null;

  /** `dataDir` undefined: an in-memory database (tests). */
  constructor(dataDir?: string) {
    // A plain module needs none of the process's own flags (loaders, --input-type), which a
    // worker would otherwise inherit and may refuse.
    this.worker = new Worker(WORKER_FILE, { workerData: { dataDir }, execArgv: [] });
    this.waitReady = new Promise<void>((resolve, reject) => {
      const onMessage = (msg: { op?: string; error?: Record<string, unknown> }) => {
        if (msg.op === "ready") resolve();
        else if (msg.op === "failed") reject(new PgliteThreadError(msg.error ?? {}));
        if (msg.op === "ready" || msg.op === "failed") this.worker.off("message", onMessage);
      };
      this.worker.on("message", onMessage);
      this.worker.once("exit", () => reject(this.gone ?? new Error("the database thread exited while starting")));
    });
    // Nothing in the process waits on an idle database thread (but a start is awaited).
    this.waitReady.then(
      () => {
        if (this.pending.size === 0) this.worker.unref();
      },
      () => {},
    );
    this.worker.on("message", (msg: { id?: number; result?: unknown; error?: Record<string, unknown> }) => {
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new PgliteThreadError(msg.error));
      else p.resolve(msg.result);
    });
    this.worker.on("error", (err) => this.fail(err));
    this.worker.on("exit", (code) => this.fail(new Error(`the database thread exited (code ${code})`)));
  }

  private fail(cause: Error): void {
    if (!this.gone) {
      this.gone = Object.assign(new Error(`the embedded database is unavailable: ${cause.message}`), { code: DATABASE_THREAD_GONE, cause });
    }
    for (const p of this.pending.values()) p.reject(this.gone);
    this.pending.clear();
  }

  private call<T>(message: Record<string, unknown>): Promise<T> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // The worker keeps the process alive only while an answer is awaited.
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...message, id });
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  private queryOn(tx: number | undefined, text: string, params: unknown[] = [], options?: ThreadQueryOptions): Promise<ThreadResults> {
    const rawTypes = options?.parsers ? Object.keys(options.parsers).map(Number) : undefined;
    return this.call({ op: "query", text, params, rowMode: options?.rowMode, rawTypes, tx });
  }

  query(text: string, params?: unknown[], options?: ThreadQueryOptions): Promise<ThreadResults> {
    return this.queryOn(undefined, text, params, options);
  }

  exec(text: string): Promise<ThreadResults[]> {
    return this.call({ op: "exec", text });
  }

  /**
   * Runs `fn` in one transaction on the worker: BEGIN when PGlite grants it (after any open
   * transaction), COMMIT when `fn` resolves (a COMMIT that rolled back rejects), ROLLBACK and
   * `fn`'s error when it throws.
   */
  async transaction<T>(fn: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const { tx: id } = await this.call<{ tx: number }>({ op: "begin" });
    let closed = false;
    const tx: ThreadTransaction = {
      query: (text, params, options) => (closed ? Promise.reject(new Error("Transaction is closed")) : this.queryOn(id, text, params, options)),
      exec: (text) => (closed ? Promise.reject(new Error("Transaction is closed")) : this.call({ op: "exec", text, tx: id })),
      rollback: async () => {
        if (closed) throw new Error("Transaction is closed");
        closed = true;
        await this.call({ op: "end", tx: id, commit: false });
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      if (!closed) {
        closed = true;
        await this.call({ op: "end", tx: id, commit: false }).catch(() => {});
      }
      throw err;
    }
    if (!closed) {
      closed = true;
      await this.call({ op: "end", tx: id, commit: true });
    }
    return result;
  }

  /** Closes the database (PGlite writes its last pages) and ends the thread. */
  async close(): Promise<void> {
    if (!this.gone) await this.call({ op: "close" });
    await this.worker.terminate();
  }
}

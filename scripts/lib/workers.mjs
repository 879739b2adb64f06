/**
 * Server processes: `npm start` and the Docker image run IW_WORKERS copies of the Next.js server
 * sharing one port through Node's cluster module (the primary accepts and hands connections
 * round-robin to the workers). Each worker is a whole server: it migrates under the startup lock,
 * runs the background jobs (alert evaluation is serialized by an advisory lock) and shares all
 * state through PostgreSQL. The embedded database has a single owner process, so PGlite runs one.
 *
 * IW_WORKERS is the launcher's own setting and is read here only; the server's settings are
 * lib/env.ts's. The launcher passes IW_LOCAL_AGENT=0 to every worker but the first, so a
 * configured local agent runs once.
 */
import { spawn } from "node:child_process";
import cluster from "node:cluster";
import os from "node:os";

export const MAX_WORKERS = 64;
/** A worker that dies after serving is restarted after this long, doubling while it keeps dying. */
const RESTART_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** How long workers get to finish after SIGTERM before they are killed. */
const STOP_GRACE_MS = 30_000;

/**
 * The number of server processes, or why the setting is wrong.
 * Default: the machine's cores on PostgreSQL, 1 on the embedded database.
 * @param {Record<string, string | undefined>} env
 * @param {number} [cores]
 * @returns {{ count: number } | { error: string }}
 */
export function workersFromEnv(env, cores = os.availableParallelism()) {
  const embedded = !env.DATABASE_URL;
  const raw = (env.IW_WORKERS ?? "").trim();
  if (raw === "") return { count: embedded ? 1 : Math.max(1, Math.min(MAX_WORKERS, cores)) };
  const n = /^[0-9]{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_WORKERS)) return { error: `IW_WORKERS must be a whole number from 1 to ${MAX_WORKERS} (got "${raw.slice(0, 20)}")` };
  if (embedded && n > 1) {
    return { error: `IW_WORKERS=${n} needs DATABASE_URL: the embedded database (PGlite) has a single owner process, so it runs with one worker` };
  }
  return { count: n };
}

/**
 * Runs `exec args` as the server: in this process's child when count is 1 (exit code passed on),
 * otherwise as `count` cluster workers, restarted when one dies after it started listening.
 * A worker that dies before it ever listened (bad settings, an unreachable database) stops the
 * whole launcher with its exit code instead of restarting in a loop.
 * @param {{ count: number, exec: string, args: string[], cwd: string }} opts
 */
export function runServers({ count, exec, args, cwd }) {
  if (count === 1) {
    const server = spawn(process.execPath, [exec, ...args], { cwd, stdio: "inherit" });
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => server.kill(signal));
    server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    return;
  }

  cluster.setupPrimary({ exec, args, cwd });
  let stopping = false;
  let exitCode = 0;
  /** Live workers by cluster id: which slot each fills, and how long its next restart waits. */
  /** @type {Map<number, { index: number, listened: boolean, restartMs: number }>} */
  const slots = new Map();
  /** Slots whose worker has served at least once: a later death there is a restart, not a bad start. */
  const served = new Set();

  const fork = (index, restartMs = RESTART_MS) => {
    const worker = cluster.fork(index === 0 ? {} : { IW_LOCAL_AGENT: "0" });
    slots.set(worker.id, { index, listened: false, restartMs });
  };

  // The ingest counters each worker pushes (lib/cluster.ts), for whichever worker a scrape reaches.
  /** @type {Map<number, { server: string, counts: Record<string, number> }>} */
  const ingest = new Map();
  cluster.on("message", (worker, message) => {
    if (message?.iw === "ingest" && typeof message.server === "string" && message.counts && typeof message.counts === "object") {
      ingest.set(worker.id, { server: message.server, counts: message.counts });
    } else if (message?.iw === "ingest?") {
      worker.send({ iw: "ingest!", id: message.id, all: [...ingest.values()] });
    }
  });

  cluster.on("listening", (worker) => {
    const slot = slots.get(worker.id);
    if (slot && !slot.listened) {
      slot.listened = true;
      slot.restartMs = RESTART_MS;
      served.add(slot.index);
      console.log(`[infra-watch] worker ${slot.index + 1}/${count} (pid ${worker.process.pid}) serving`);
    }
  });

  cluster.on("exit", (worker, code, signal) => {
    const slot = slots.get(worker.id);
    slots.delete(worker.id);
    ingest.delete(worker.id);
    if (!slot) return;
    if (stopping) {
      if (slots.size === 0) process.exit(exitCode);
      return;
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!served.has(slot.index)) {
      console.error(`[infra-watch] worker ${slot.index + 1}/${count} exited with ${how} before it served; stopping`);
      exitCode = code || 1;
      stop("SIGTERM");
      return;
    }
    console.error(`[infra-watch] worker ${slot.index + 1}/${count} exited with ${how}; restarting in ${slot.restartMs / 1000} s`);
    setTimeout(() => {
      if (!stopping) fork(slot.index, Math.min(slot.restartMs * 2, RESTART_MAX_MS));
    }, slot.restartMs).unref();
  });

  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    if (slots.size === 0) process.exit(exitCode);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
    }, STOP_GRACE_MS).unref();
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(signal));

  for (let i = 0; i < count; i++) fork(i);
}

import { createHash } from "node:crypto";
import type { HostFacts } from "../../lib/protocol";
import { openContainerWatch, socketCandidates, withContainerStats } from "../collect/containers";
import { collectHostFacts } from "../collect/host-facts";
import { collectSample, comparable, processSampling, readCounters, type Counters } from "../collect/sampler";
import { collectionSettings, configMtime, hostLabels, readConfig, requireConfig, type AgentConfig } from "../config";
import { commandLineSettings } from "../settings";
import { collectSnapshot } from "../snapshot/collect-snapshot";
import { readState, writeState, type AgentState } from "../state";
import { backoffDelay } from "../transport/backoff";
import { UNAUTHORIZED_HELP, deliverSnapshot, flushTelemetry } from "../transport/deliver";
import { closeConnections } from "../transport/http";
import { openSpool, requireProc, type CommandContext } from "./context";
import { enrollIfNeeded } from "./enroll";
import { describeUpdate, handleAnnouncedUpdate } from "../update/lifecycle";

const HOST_FACTS_TTL_MS = 60_000;
const SHUTDOWN_FLUSH_MS = 5_000;

/**
 * A fixed per-host offset within the interval: ticks stay on a regular grid (one sample per
 * interval, timestamps never collide), and a fleet started together does not post in unison.
 */
export function tickPhase(hostId: string, intervalMs: number): number {
  return createHash("sha256").update(hostId).digest().readUInt32BE(0) % intervalMs;
}

export function nextTick(now: number, intervalMs: number, phase: number): number {
  return Math.floor((now - phase) / intervalMs) * intervalMs + phase + intervalMs;
}

/**
 * The daemon. Three independent loops share the spool: the ticker collects and spools a
 * sample per interval whatever the network does; the sender drains the spool, backing off
 * while the server is unreachable; the snapshot is due at start and every snapshot interval
 * and goes out after a successful drain.
 */
export async function run(context: CommandContext): Promise<number> {
  const { options, paths, log, version } = context;
  await requireProc(paths);
  await enrollIfNeeded(context);
  let config: AgentConfig = await requireConfig(options.config);
  let configSeen = await configMtime(options.config);
  const spool = await openSpool(options);
  const state: AgentState = await readState(options.spool);
  const phase = tickPhase(config.hostId, options.intervalMs);
  const settings = collectionSettings(options.config, config, commandLineSettings(options));
  const sampling = processSampling(paths, settings.topProcesses);

  const sockets = socketCandidates(options.containerSocket, options.xdgRuntimeDir);
  let containers = await openContainerWatch(sockets, true);
  if (containers) log.info(`containers: reading the Engine API at ${containers.socket}`);
  let counters: Counters = await readCounters(paths, Date.now(), !!sampling);
  let host: HostFacts = await collectHostFacts(paths, version, options.intervalMs / 1000);
  let hostAt = Date.now();
  let stopping = false;
  let blocked: string | undefined;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let tickTimer: NodeJS.Timeout | undefined;
  let snapshotDue = true;
  let sending: Promise<void> | undefined;
  let ticking: Promise<void> | undefined;
  let requestStop: (reason: string) => void = () => {};

  log.info(`running: host ${config.hostId} -> ${config.server}, every ${options.intervalMs / 1000}s, spool ${options.spool} (${spool.depth} waiting)`);

  /** A re-enrollment replaces the token on disk; pick it up instead of staying blocked. */
  async function reloadConfigIfChanged() {
    const mtime = await configMtime(options.config);
    if (mtime === configSeen) return;
    configSeen = mtime;
    const fresh = await readConfig(options.config).catch(() => undefined);
    // Labels edited in the config file apply from the next batch, without a restart.
    if (fresh) config = { ...config, labels: fresh.labels ?? {} };
    if (fresh && (fresh.agentToken !== config.agentToken || fresh.server !== config.server)) {
      config = fresh;
      if (blocked) log.info("config changed: resuming delivery");
      blocked = undefined;
      attempt = 0;
    }
  }

  async function sendSnapshotIfDue() {
    if (!snapshotDue || stopping) return;
    // An engine installed or started after the agent is picked up with the next snapshot.
    if (!containers && (containers = await openContainerWatch(sockets, true))) log.info(`containers: reading the Engine API at ${containers.socket}`);
    const snapshot = await collectSnapshot({ paths, hostKey: config.hostKey, processEnv: process.env, warn: log.warn, settings, containers });
    const sent = await deliverSnapshot(snapshot, state.lastSnapshotHash, config);
    if (sent.outcome === "retry") return;
    snapshotDue = false;
    if (sent.outcome === "delivered") {
      state.lastSnapshotHash = sent.hash;
      state.lastSnapshotAt = snapshot.ts;
      log.info(`snapshot delivered (${snapshot.packages.length} packages, ${Object.keys(snapshot.env).length} env keys)`);
    } else if (sent.outcome === "unauthorized") {
      blocked = UNAUTHORIZED_HELP;
      log.error(blocked);
    } else if (sent.outcome !== "unchanged") {
      log.warn(`snapshot refused, not retried until the next interval: ${sent.message}`);
    }
  }

  async function drain() {
    if (Date.now() - hostAt > HOST_FACTS_TTL_MS) {
      host = await collectHostFacts(paths, version, options.intervalMs / 1000);
      hostAt = Date.now();
    }
    const report = await flushTelemetry(spool, config, { ...host, labels: hostLabels(config, options.labels), updateState: describeUpdate(state.update, options.autoUpdate) }, log);
    if (report.outcome === "delivered" && (await handleAnnouncedUpdate(context, config, state, report.agentUpdate))) {
      await writeState(options.spool, state).catch((err: Error) => log.warn(`cannot write state: ${err.message}`));
      requestStop("updated");
      return;
    }
    if (report.outcome === "delivered" || report.outcome === "empty") {
      if (attempt > 0) log.info(`server reachable again: delivered ${report.delivered} spooled samples`);
      attempt = 0;
      if (report.delivered > 0) state.lastSuccessAt = new Date().toISOString();
      await sendSnapshotIfDue();
    } else if (report.outcome === "retry") {
      const delay = backoffDelay(attempt);
      if (attempt === 0) log.warn(`delivery failed (${report.message}); ${spool.depth} samples spooled, retrying with backoff`);
      else log.debug(`delivery failed again (${report.message}); next try in ${delay} ms`);
      attempt++;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        kick();
      }, delay);
    } else {
      blocked = report.outcome === "unauthorized" ? UNAUTHORIZED_HELP : `the server refused telemetry (${report.message}); not retrying until the config changes or the agent restarts`;
      log.error(blocked);
    }
    await writeState(options.spool, state).catch((err: Error) => log.warn(`cannot write state: ${err.message}`));
  }

  /** Starts a drain unless one runs, delivery is blocked, or a backoff wait is pending. */
  function kick() {
    if (sending || blocked || retryTimer || stopping) return;
    sending = drain()
      .catch((err: Error) => log.error(`delivery error: ${err.message}`))
      .finally(() => {
        sending = undefined;
      });
  }

  async function tick(at: number) {
    await reloadConfigIfChanged();
    const cur = await readCounters(paths, Date.now(), !!sampling);
    const prev = comparable(counters, cur) ? counters : undefined;
    counters = cur;
    if (!prev) return;
    const sample = await withContainerStats(await collectSample(paths, prev, cur, new Date(at), sampling), containers, log);
    const dropped = await spool.append(sample);
    if (dropped) log.warn(`spool full (${options.spoolMaxBytes} bytes): dropped the ${dropped} oldest samples`);
    log.debug(`spooled sample ts=${sample.ts}`);
    kick();
  }

  let lastTick = 0;
  function scheduleTick() {
    // From the later of now and the last tick: a timer that fires a millisecond early must not
    // schedule the same grid point twice (two samples with one timestamp). A clock stepped back
    // by more than an interval starts the grid afresh rather than pausing until it catches up.
    const now = Date.now();
    if (now < lastTick - options.intervalMs) lastTick = 0;
    const at = nextTick(Math.max(now, lastTick), options.intervalMs, phase);
    lastTick = at;
    tickTimer = setTimeout(() => {
      if (stopping) return;
      ticking = tick(at)
        .catch((err: Error) => log.error(`collection failed: ${err.message}`))
        .finally(() => {
          ticking = undefined;
        });
      scheduleTick();
    }, at - Date.now());
  }

  const snapshotTimer = setInterval(() => {
    snapshotDue = true;
    kick();
  }, options.snapshotIntervalMs);

  kick();
  scheduleTick();

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (stopping) return;
      log.info(`${signal}: finishing the current sample and flushing the spool`);
      stopping = true;
      resolve();
    };
    requestStop = stop;
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });

  clearTimeout(tickTimer);
  clearTimeout(retryTimer);
  clearInterval(snapshotTimer);
  const finalFlush = (async () => {
    await ticking;
    await sending;
    if (!blocked && spool.depth > 0) {
      const report = await flushTelemetry(spool, config, host, log);
      if (report.delivered > 0) state.lastSuccessAt = new Date().toISOString();
    }
  })().catch((err: Error) => log.warn(`final flush failed: ${err.message}`));
  await Promise.race([finalFlush, new Promise((r) => setTimeout(r, SHUTDOWN_FLUSH_MS).unref())]);
  await writeState(options.spool, state).catch(() => {});
  log.info(`stopped; ${spool.depth} samples left in the spool`);
  closeConnections();
  return 0;
}

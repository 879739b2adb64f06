import { setTimeout as sleep } from "node:timers/promises";
import { openContainerWatch, socketCandidates, withContainerStats } from "../collect/containers";
import { collectHostFacts } from "../collect/host-facts";
import { collectSample, comparable, processSampling, readCounters, type Counters } from "../collect/sampler";
import { collectionSettings, hostLabels, requireConfig } from "../config";
import { commandLineSettings } from "../settings";
import { collectSnapshot } from "../snapshot/collect-snapshot";
import { readState, writeState } from "../state";
import { backoffDelay } from "../transport/backoff";
import { UNAUTHORIZED_HELP, deliverSnapshot, flushTelemetry, type FlushReport } from "../transport/deliver";
import { closeConnections } from "../transport/http";
import { openSpool, requireProc, type CommandContext } from "./context";
import { enrollIfNeeded } from "./enroll";
import { describeUpdate, handleAnnouncedUpdate } from "../update/lifecycle";

/** Counters from the previous run are used if they are from this boot and not stale. */
const MAX_COUNTER_AGE_MS = 10 * 60_000;
/** Without usable previous counters, CPU and network rates are measured over this much time. */
const RATE_WINDOW_MS = 250;
const ATTEMPTS = 3;

/**
 * For cron: one sample, a flush of everything spooled, a snapshot if the configuration
 * changed. Exits 1 when nothing could be delivered, so cron mail or a wrapper notices.
 */
export async function once(context: CommandContext): Promise<number> {
  const { options, paths, log, version } = context;
  await requireProc(paths);
  await enrollIfNeeded(context);
  const config = await requireConfig(options.config);
  const spool = await openSpool(options);
  const state = await readState(options.spool);
  const settings = collectionSettings(options.config, config, commandLineSettings(options));
  const sampling = processSampling(paths, settings.topProcesses);

  let cur = await readCounters(paths, Date.now(), !!sampling);
  let prev: Counters | undefined = state.counters;
  // Under cron the time since the previous run is the reporting interval (unless that was
  // long ago: one missed hour says nothing about the schedule; the server keeps the last one).
  const sincePreviousS = prev && cur.at > prev.at ? (cur.at - prev.at) / 1000 : undefined;
  if (!comparable(prev, cur) || cur.at - prev.at > MAX_COUNTER_AGE_MS) {
    prev = cur;
    await sleep(RATE_WINDOW_MS);
    cur = await readCounters(paths, Date.now(), !!sampling);
  }
  const ts = new Date(Math.floor(cur.at / 1000) * 1000);
  // No previous reading survives between runs: two-cycle stats give CPU % from one request.
  const containers = await openContainerWatch(socketCandidates(options.containerSocket, options.xdgRuntimeDir), false);
  const sample = await withContainerStats(await collectSample(paths, prev, cur, ts, sampling), containers, log);
  const dropped = await spool.append(sample);
  if (dropped) log.warn(`spool full (${options.spoolMaxBytes} bytes): dropped the ${dropped} oldest samples`);
  log.debug(`spooled sample ts=${sample.ts}`);
  // The name list is for this sample only: the state file keeps what the next rates need.
  state.counters = { ...cur, processNames: undefined };

  const intervalS = sincePreviousS !== undefined && sincePreviousS * 1000 <= MAX_COUNTER_AGE_MS ? sincePreviousS : undefined;
  const host = { ...(await collectHostFacts(paths, version, intervalS)), labels: hostLabels(config, options.labels), updateState: describeUpdate(state.update, options.autoUpdate) };
  let report: FlushReport = { outcome: "retry", delivered: 0, duplicates: 0 };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(backoffDelay(attempt - 1));
    report = await flushTelemetry(spool, config, host, log);
    if (report.outcome !== "retry") break;
  }

  let ok = report.outcome === "delivered" || report.outcome === "empty";
  if (ok) {
    state.lastSuccessAt = new Date().toISOString();
    log.info(`delivered ${report.delivered} samples (${report.duplicates} duplicates); spool holds ${spool.depth}`);
    const snapshot = await collectSnapshot({ paths, hostKey: config.hostKey, processEnv: process.env, warn: log.warn, settings, containers });
    const sent = await deliverSnapshot(snapshot, state.lastSnapshotHash, config);
    if (sent.outcome === "delivered") {
      state.lastSnapshotHash = sent.hash;
      state.lastSnapshotAt = snapshot.ts;
      log.info(`snapshot delivered (${snapshot.packages.length} packages, ${Object.keys(snapshot.env).length} env keys)`);
    } else if (sent.outcome === "unauthorized") {
      log.error(UNAUTHORIZED_HELP);
      ok = false;
    } else if (sent.outcome !== "unchanged") {
      log.warn(`snapshot not delivered: ${sent.message}`);
    }
    // Last: a replaced executable takes effect with the next cron run.
    if (report.outcome === "delivered") await handleAnnouncedUpdate(context, config, state, report.agentUpdate);
  } else if (report.outcome === "unauthorized") {
    log.error(UNAUTHORIZED_HELP);
  } else {
    log.error(`nothing delivered to ${config.server}: ${report.message}; ${spool.depth} samples kept in ${options.spool}`);
  }
  await writeState(options.spool, state);
  closeConnections();
  return ok ? 0 : 1;
}

import { readFile, readdir, statfs } from "node:fs/promises";
import type { DiskUsage, Sample } from "../../lib/protocol";
import { cpuUsage, parseProcStat, type CpuReading } from "./cpu";
import { diskUsage, parseMounts, primaryDiskPct, realFilesystems } from "./disks";
import { inProc, inRoot, isContainerMode, type HostPaths } from "./host-paths";
import { memoryUsage, parseMeminfo } from "./memory";
import { networkRates, parseNetDev, type NetCounters } from "./network";
import { ProcessDetails, rankProcesses, scanProcessTicks, selectTop, startedAfter, type ProcessTicks } from "./processes";
import { countProcesses, parseLoadavg, parseUptime } from "./system";
import { readCpuTemperature } from "./temperature";

/** A sample as the agent sends it: the contract's fields plus per-core CPU. */
export type AgentSample = Sample & { cpuCores?: number[] };

/** The counters a rate needs, kept between samples (and across `once` runs in the state file). */
export interface Counters {
  at: number;
  cpu: CpuReading;
  net: Record<string, NetCounters>;
  /** Per-process CPU ticks and memory, when processes are collected (bounded: MAX_SCANNED_PROCESSES). */
  processes?: ProcessTicks;
  /** Every distinct process name of that scan, sorted (sent as the sample's `processNames`). */
  processNames?: string[];
}

/** How a sampler collects processes: the top N, with its long-lived detail reader (page size, uid names). */
export interface ProcessSampling {
  top: number;
  details: ProcessDetails;
}

export const processSampling = (paths: HostPaths, top: number): ProcessSampling | undefined => (top > 0 ? { top, details: new ProcessDetails(paths) } : undefined);

const read = (file: string) => readFile(file, "utf8");

/** `withProcesses`: also every process's ticks, read right after /proc/stat so both deltas span the same time. */
export async function readCounters(paths: HostPaths, now = Date.now(), withProcesses = false): Promise<Counters> {
  const [stat, netDev] = await Promise.all([read(inProc(paths, "stat")), read(inProc(paths, "net/dev")).catch(() => "")]);
  const names = new Set<string>();
  const processes = withProcesses ? scanProcessTicks(paths, undefined, names) : undefined;
  return { at: now, cpu: parseProcStat(stat), net: Object.fromEntries(parseNetDev(netDev)), ...(processes ? { processes, processNames: [...names].sort() } : {}) };
}

async function readDisks(paths: HostPaths): Promise<DiskUsage[]> {
  const mountsFile = isContainerMode(paths) ? inProc(paths, "1/mounts") : inProc(paths, "mounts");
  const mounts = realFilesystems(parseMounts(await read(mountsFile)));
  const usage = await Promise.all(
    mounts.map(async (m) => {
      const s = await statfs(inRoot(paths, m.mount)).catch(() => undefined);
      return s && s.blocks > 0 ? diskUsage(m.mount, s) : undefined;
    }),
  );
  return usage.filter((d): d is DiskUsage => d !== undefined).slice(0, 64);
}

/** Rates need two readings of the same boot; otherwise they are left out rather than invented. */
export function comparable(prev: Counters | undefined, cur: Counters): prev is Counters {
  return !!prev && prev.cpu.bootTime === cur.cpu.bootTime && cur.at > prev.at;
}

/** One sample from the counters' delta plus the instantaneous gauges read now. */
export async function collectSample(paths: HostPaths, prev: Counters, cur: Counters, ts: Date, processes?: ProcessSampling): Promise<AgentSample> {
  const [meminfo, loadavg, uptime, disks, procEntries, cpuTempC] = await Promise.all([
    read(inProc(paths, "meminfo")),
    read(inProc(paths, "loadavg")),
    read(inProc(paths, "uptime")),
    readDisks(paths),
    // One readdir of /proc (costed in BENCHMARKS.md); a /proc we may not list leaves the count out.
    readdir(paths.proc).catch(() => undefined),
    readCpuTemperature(paths),
  ]);
  const { memPct, memUsedBytes, memTotalBytes, swapPct } = memoryUsage(parseMeminfo(meminfo));
  const { cpuPct, cpuCores } = cpuUsage(prev.cpu, cur.cpu);
  const rates = networkRates(new Map(Object.entries(prev.net)), new Map(Object.entries(cur.net)), (cur.at - prev.at) / 1000);
  return {
    ts: ts.toISOString(),
    cpuPct,
    memPct,
    diskPct: primaryDiskPct(disks),
    uptimeS: parseUptime(uptime),
    ...parseLoadavg(loadavg),
    ...(procEntries ? { procCount: countProcesses(procEntries) } : {}),
    ...(cpuTempC !== undefined ? { cpuTempC } : {}),
    memUsedBytes,
    memTotalBytes,
    swapPct,
    ...rates,
    disks,
    cpuCores,
    ...(processes && cur.processes ? { processes: topProcesses(prev, cur, processes), ...(cur.processNames ? { processNames: cur.processNames } : {}) } : {}),
  };
}

function topProcesses(prev: Counters, cur: Counters, { top, details }: ProcessSampling) {
  const ranked = rankProcesses(prev.processes, cur.processes!, cur.cpu.all.total - prev.cpu.all.total, startedAfter(cur.cpu.bootTime, prev.at));
  return details.describe(selectTop(ranked, top), cur.cpu.bootTime);
}


/**
 * What the agent's process and thread counts cost per sample, against the alternative the
 * issue names: processes from one readdir of /proc, threads from /proc/loadavg's running/total
 * field (read for the load averages anyway), against summing Threads: over /proc/[pid]/status.
 * CPU is this process's user+system time (process.cpuUsage) divided by the calls.
 *
 *   node --import tsx scripts/bench/collect.ts        prints the markdown section
 */
import { readFile, readdir } from "node:fs/promises";
import os from "node:os";
import { hostPaths } from "../../agent/collect/host-paths";
import { DEFAULT_TOP_PROCESSES } from "../../agent/collect/processes";
import { collectSample, processSampling, readCounters, type Counters } from "../../agent/collect/sampler";
import { countProcesses, parseLoadavg } from "../../agent/collect/system";

/**
 * One whole collection as `run` does it per interval (counters, then the sample from their
 * delta), with the top processes or without: the difference is what the processes cost.
 */
function collection(top: number): () => Promise<number> {
  const paths = hostPaths("/");
  const sampling = processSampling(paths, top);
  let prev: Counters | undefined;
  return async () => {
    const cur = await readCounters(paths, Date.now(), !!sampling);
    const sample = await collectSample(paths, prev ?? cur, cur, new Date(), sampling);
    prev = cur;
    return sample.processes?.length ?? 0;
  };
}

async function threadsFromStatus(): Promise<number> {
  let total = 0;
  for (const pid of (await readdir("/proc")).filter((n) => countProcesses([n]) === 1)) {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    const line = status.split("\n").find((l) => l.startsWith("Threads:"));
    if (line) total += Number(line.slice(8).trim()) || 0;
  }
  return total;
}

async function measure(calls: number, fn: () => Promise<number>) {
  await fn();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let value = 0;
  for (let i = 0; i < calls; i++) value = await fn();
  const wallMs = (performance.now() - t0) / calls;
  const cpu = process.cpuUsage(cpu0);
  return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 / calls };
}

export async function benchCollect(): Promise<string> {
  const rows = [
    ["processes: readdir /proc, count the all-digit entries", 500, async () => countProcesses(await readdir("/proc"))],
    ["threads: /proc/loadavg, total of running/total", 500, async () => parseLoadavg(await readFile("/proc/loadavg", "utf8")).threadCount ?? -1],
    ["threads: sum of Threads: over /proc/[pid]/status", 30, threadsFromStatus],
    ["a whole collection, processes off (`--top-processes 0`); value: processes sent", 200, collection(0)],
    [`a whole collection, top ${DEFAULT_TOP_PROCESSES} processes (the default); value: processes sent`, 200, collection(DEFAULT_TOP_PROCESSES)],
  ] as const;
  const lines = [
    "## Agent: process and thread counts",
    "",
    `Per sample, mean over the calls after one warm-up, on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"} (shared with other work), Node ${process.version}. The agent uses the first two.`,
    "",
    "| measurement | value here | wall per call | CPU per call | calls |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  const cpu: number[] = [];
  for (const [name, calls, fn] of rows) {
    const r = await measure(calls, fn);
    cpu.push(r.cpuMs);
    lines.push(`| ${name} | ${r.value} | ${r.wallMs.toFixed(3)} ms | ${r.cpuMs.toFixed(3)} ms | ${calls} |`);
  }
  const processCount = countProcesses(await readdir("/proc"));
  lines.push(
    "",
    `The top processes add ${(cpu[4]! - cpu[3]!).toFixed(3)} ms of CPU per collection here, with ${processCount} processes on the machine (goal: at most 5 ms). The scan reads /proc/[pid]/stat of every process (synchronously: one open, read and close each) and the details (owner, command line) of the chosen ones only.`,
  );
  lines.push("", "Command: `node --import tsx scripts/bench/collect.ts` (also a section of `npm run bench`).", "");
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchCollect());

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
import { countProcesses, parseLoadavg } from "../../agent/collect/system";

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
  ] as const;
  const lines = [
    "## Agent: process and thread counts",
    "",
    `Per sample, mean over the calls after one warm-up, on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"} (shared with other work), Node ${process.version}. The agent uses the first two.`,
    "",
    "| measurement | value here | wall per call | CPU per call | calls |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  for (const [name, calls, fn] of rows) {
    const r = await measure(calls, fn);
    lines.push(`| ${name} | ${r.value} | ${r.wallMs.toFixed(3)} ms | ${r.cpuMs.toFixed(3)} ms | ${calls} |`);
  }
  lines.push("", "Command: `node --import tsx scripts/bench/collect.ts` (also a section of `npm run bench`).", "");
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchCollect());

/**
 * The agent's cost on a host: executable size, resident memory and CPU seconds per minute of
 * `run` at a 15 s and a 1 s interval against a local sink that accepts everything, plus one
 * `once`. Memory is VmRSS/VmHWM from /proc/<pid>/status, CPU is utime+stime from
 * /proc/<pid>/stat, both of the agent process itself.
 *
 *   node --import tsx scripts/bench/agent.ts          prints the markdown section
 *   IW_BENCH_AGENT_SECONDS=20 ...                     shorter measurement (default 60 s)
 *   IW_BENCH_AGENT_BACKLOG=5000 ...                   smaller replayed backlog (default 20,000)
 *   IW_BENCH_AGENT_VARIANTS=default ...               only the build as shipped, not the V8-flag variants
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { hostPaths } from "../../agent/collect/host-paths";
import { collectSample, readCounters } from "../../agent/collect/sampler";
import { sampleFileName } from "../../agent/spool/spool";

const ROOT = path.resolve(import.meta.dirname, "../..");
const EXE = path.join(ROOT, "dist/agent/infra-watch-agent-linux-x64");
/** Start-up (and the first snapshot, which runs the package manager) is reported apart from the steady state. */
const WARMUP_S = 5;
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** Answers like the server: 202 for telemetry, 201 for snapshots, and counts what it got. */
async function startSink() {
  const received = { batches: 0, samples: 0, snapshots: 0, firstTelemetryAt: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url?.endsWith("/api/snapshot")) {
        received.snapshots++;
        res.writeHead(201, { "content-type": "application/json" }).end('{"snapshotId":"s","changed":true}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { samples: unknown[] };
      received.firstTelemetryAt ||= performance.now();
      received.batches++;
      received.samples += body.samples.length;
      res.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ accepted: body.samples.length, duplicates: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => server.close() };
}

function agentFiles(server: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "iw-bench-agent-"));
  const config = path.join(dir, "agent.json");
  const hostKey = randomBytes(32).toString("hex");
  writeFileSync(config, JSON.stringify({ server, hostId: "bench", agentToken: "bench", hostKey, machineId: "bench" }), { mode: 0o600 });
  return ["--config", config, "--spool", path.join(dir, "spool")];
}

const cpuSeconds = (pid: number) => {
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
};
const memoryKb = (pid: number, key: "VmRSS" | "VmHWM") => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);

interface RunFigures {
  label: string;
  intervalS: number;
  startupCpuS: number;
  cpuPerMinS: number;
  rssMb: number;
  hwmMb: number;
  samples: number;
}

/** Memory and CPU of a long-running process over `seconds` after the warm-up. */
async function watch(pid: number, seconds: number) {
  await sleep(WARMUP_S * 1000);
  const startupCpuS = cpuSeconds(pid);
  await sleep(seconds * 1000);
  return { startupCpuS, cpuPerMinS: ((cpuSeconds(pid) - startupCpuS) / seconds) * 60, rssMb: memoryKb(pid, "VmRSS") / 1024, hwmMb: memoryKb(pid, "VmHWM") / 1024 };
}

async function measureRun(label: string, exe: string, intervalS: number, seconds: number, extraArgs: string[] = []): Promise<RunFigures> {
  const sink = await startSink();
  const child = spawn(exe, ["run", "--interval", `${intervalS}s`, ...extraArgs, ...agentFiles(sink.url)], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (c: Buffer) => (log += c));
  let exitCode: number | null | undefined;
  child.once("exit", (code) => (exitCode = code));
  try {
    const watched = await watch(child.pid!, seconds).catch((err: Error) => {
      throw new Error(`the agent (${label}) ${exitCode !== undefined ? `exited with ${exitCode}` : `could not be measured: ${err.message}`}:\n${log}`);
    });
    const figures = { label, intervalS, ...watched, samples: sink.received.samples };
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    if (figures.samples === 0) throw new Error(`the agent (${label}) delivered nothing at ${intervalS}s:\n${log}`);
    return figures;
  } finally {
    child.kill("SIGKILL");
    sink.close();
  }
}

const NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";

/** Debian's node_exporter, installed here if apt can; otherwise the reason it is left out. */
function ensureNodeExporter(): string | undefined {
  if (existsSync(NODE_EXPORTER)) return undefined;
  try {
    execFileSync("apt-get", ["install", "-y", "-qq", "prometheus-node-exporter"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    // The package starts a service of its own on :9100; ours runs on a free port.
    execFileSync("sh", ["-c", "service prometheus-node-exporter stop >/dev/null 2>&1 || true"]);
  } catch (err) {
    return `node_exporter left out: \`apt-get install prometheus-node-exporter\` failed here (${(err as Error).message.split("\n")[0]})`;
  }
  return existsSync(NODE_EXPORTER) ? undefined : "node_exporter left out: Debian's prometheus-node-exporter did not install";
}

/** node_exporter scraped every `intervalS` by this script, as Prometheus would. */
async function measureNodeExporter(intervalS: number, seconds: number): Promise<(RunFigures & { startupMs: number; version: string }) | undefined> {
  const port = await new Promise<number>((resolve) => {
    const srv = http.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
  const started = performance.now();
  const child = spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "ignore"] });
  const scrape = () => fetch(`http://127.0.0.1:${port}/metrics`).then(async (r) => (await r.text(), r.status === 200)).catch(() => false);
  try {
    while (!(await scrape())) {
      if (performance.now() - started > 10_000) throw new Error("node_exporter did not answer /metrics within 10 s");
      await sleep(10);
    }
    const startupMs = performance.now() - started;
    let scrapes = 1;
    const timer = setInterval(() => void scrape().then((ok) => ok && scrapes++), intervalS * 1000);
    const figures = await watch(child.pid!, seconds);
    clearInterval(timer);
    const version = /version (\S+)/.exec(execFileSync(NODE_EXPORTER, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }))?.[1] ?? "?";
    return { label: `node_exporter ${version}`, intervalS, ...figures, samples: scrapes, startupMs, version };
  } finally {
    child.kill("SIGKILL");
  }
}

/** One `once` under GNU time: peak memory, CPU, and spawn to the sink's first telemetry. */
async function measureOnce(exe: string, files = [] as string[]): Promise<{ cpuS: number; maxRssMb: number; firstSampleMs: number; files: string[] }> {
  const sink = await startSink();
  try {
    const args = files.length ? files : agentFiles(sink.url);
    if (files.length) {
      // Point the existing config at this sink (a warm run: state from the last one).
      const config = JSON.parse(readFileSync(files[1]!, "utf8"));
      writeFileSync(files[1]!, JSON.stringify({ ...config, server: sink.url }));
    }
    const started = performance.now();
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn("/usr/bin/time", ["-f", "%U %S %M", exe, "once", ...args], { stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr!.on("data", (c: Buffer) => (err += c));
      child.on("exit", (code) => (code === 0 ? resolve(err) : reject(new Error(`once failed: ${err}`))));
    });
    const [user, sys, maxKb] = out.trim().split("\n").at(-1)!.split(" ").map(Number);
    return { cpuS: user! + sys!, maxRssMb: maxKb! / 1024, firstSampleMs: sink.received.firstTelemetryAt - started, files: args };
  } finally {
    sink.close();
  }
}

/**
 * What coming back after a long outage costs: `once` delivering a spool of `count` samples
 * (at 15 s, 20,000 is about three and a half days), under GNU time.
 */
async function measureBacklog(exe: string, count: number): Promise<{ seconds: number; cpuS: number; maxRssMb: number }> {
  const sink = await startSink();
  try {
    const files = agentFiles(sink.url);
    const spoolDir = files[3]!;
    mkdirSync(spoolDir, { recursive: true });
    const sample = await oneRealSample();
    const start = Date.now() - count * 15_000;
    for (let i = 0; i < count; i++) {
      const ts = new Date(start + i * 15_000).toISOString();
      writeFileSync(path.join(spoolDir, sampleFileName(ts, 1, i)), JSON.stringify({ ...sample, ts }));
    }
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn("/usr/bin/time", ["-f", "%e %U %S %M", exe, "once", ...files], { stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr!.on("data", (c: Buffer) => (err += c));
      child.on("exit", (code) => (code === 0 ? resolve(err) : reject(new Error(`once failed: ${err}`))));
    });
    if (sink.received.samples < count) throw new Error(`the backlog was not delivered: ${sink.received.samples} of ${count}`);
    const [seconds, user, sys, maxKb] = out.trim().split("\n").at(-1)!.split(" ").map(Number);
    return { seconds: seconds!, cpuS: user! + sys!, maxRssMb: maxKb! / 1024 };
  } finally {
    sink.close();
  }
}

/** A sample as this machine produces it, so the backlog has realistic sizes. */
async function oneRealSample() {
  const paths = hostPaths("/");
  const prev = await readCounters(paths);
  await sleep(100);
  const cur = await readCounters(paths);
  return collectSample(paths, prev, cur, new Date());
}

const mb = (n: number) => `${n.toFixed(1)} MB`;

/** V8's "Check failed: ..." line, or the error's first line. */
const crashLine = (err: Error) => (/Check failed: [^\n]*/.exec(err.message)?.[0] ?? err.message.split("\n")[0]!).replaceAll("|", "/").slice(0, 160);

/**
 * The levers measured side by side: the same sources built with other V8 flags (set by
 * agent/v8-flags.ts from inside the executable) or without V8's code cache in the blob.
 */
const VARIANTS: { label: string; args: string[] }[] = [
  { label: "as built (default flags)", args: [] },
  { label: "no V8 flags", args: ["--v8-flags", ""] },
  { label: "--single-threaded-gc", args: ["--v8-flags", "--single-threaded-gc"] },
  { label: "--max-semi-space-size=1 --max-old-space-size=32", args: ["--v8-flags", "--max-semi-space-size=1 --max-old-space-size=32"] },
  { label: "--max-lazy --no-opt", args: ["--v8-flags", "--max-lazy --no-opt"] },
  { label: "no code cache in the blob", args: ["--no-code-cache"] },
];

function buildVariant(args: string[]): string {
  if (args.length === 0) return EXE;
  const dir = mkdtempSync(path.join(os.tmpdir(), "iw-bench-agent-build-"));
  execFileSync(process.execPath, [path.join(ROOT, "scripts/build-agent.mjs"), "--no-arm64", "--no-gzip", "--out-dir", dir, ...args], { cwd: ROOT, stdio: "ignore" });
  return path.join(dir, "infra-watch-agent-linux-x64");
}

function compressedSizes(): { gz?: number; xz?: number } {
  const gz = existsSync(`${EXE}.gz`) ? statSync(`${EXE}.gz`).size : undefined;
  let xz: number | undefined;
  try {
    xz = Number(execFileSync("sh", ["-c", `xz -6 -T2 -c '${EXE}' | wc -c`], { encoding: "utf8" }).trim());
  } catch {
    xz = undefined;
  }
  return { gz, xz };
}

export async function benchAgent(): Promise<string> {
  execFileSync(process.execPath, [path.join(ROOT, "scripts/build-agent.mjs")], { cwd: ROOT, stdio: "ignore" });
  const seconds = Number(process.env.IW_BENCH_AGENT_SECONDS) || 60;
  const backlogCount = Number(process.env.IW_BENCH_AGENT_BACKLOG) || 20_000;
  const skipped = ensureNodeExporter();
  const variants = (process.env.IW_BENCH_AGENT_VARIANTS === "default" ? VARIANTS.slice(0, 1) : VARIANTS).map((v) => ({ ...v, exe: buildVariant(v.args) }));
  // One window for everything: every variant at 15 s, the default also at 1 s and with processes
  // off at both (the top processes are on by default), node_exporter scraped at 15 s and at 1 s.
  // A flag V8 cannot take after start-up crashes that variant: reported, not fatal to the bench.
  const [exporter, exporterFast, fast, fastOff, slowOff, ...slow] = await Promise.all([
    skipped ? Promise.resolve(undefined) : measureNodeExporter(15, seconds),
    skipped ? Promise.resolve(undefined) : measureNodeExporter(1, seconds),
    measureRun("as built", EXE, 1, seconds),
    measureRun("as built, processes off (`--top-processes 0`)", EXE, 1, seconds, ["--top-processes", "0"]),
    measureRun("as built, processes off (`--top-processes 0`)", EXE, 15, seconds, ["--top-processes", "0"]),
    ...variants.map((v) => measureRun(v.label, v.exe, 15, seconds).catch((err: Error) => ({ label: v.label, crashed: crashLine(err) }))),
  ]);
  const perVariant = [];
  for (const v of variants) {
    try {
      const cold = await measureOnce(v.exe);
      const warm = await measureOnce(v.exe, cold.files);
      perVariant.push({ ...v, cold, warm, backlog: await measureBacklog(v.exe, backlogCount) });
    } catch (err) {
      perVariant.push({ ...v, crashed: crashLine(err as Error) });
    }
  }
  // The variants are ~90 MB each: not left in /tmp.
  for (const v of variants) if (v.exe !== EXE) rmSync(path.dirname(v.exe), { recursive: true, force: true });
  const sizes = compressedSizes();
  const base = perVariant[0]!;
  if ("crashed" in base) throw new Error(`the default build failed: ${base.crashed}`);
  const arm64 = path.join(ROOT, "dist/agent/infra-watch-agent-linux-arm64");
  /** CPU per collection (per scrape for node_exporter): the CPU per minute over the collections a minute holds. */
  const perCollectionMs = (r: RunFigures) => ((r.cpuPerMinS * 1000) / (60 / r.intervalS)).toFixed(1);
  const runRow = (r: RunFigures) => `| ${r.label} | ${r.intervalS} s | ${mb(r.rssMb)} / ${mb(r.hwmMb)} | ${r.cpuPerMinS.toFixed(3)} s | ${perCollectionMs(r)} ms | ${r.startupCpuS.toFixed(2)} s | ${r.samples} |`;
  const processCost = (on: RunFigures, off: RunFigures) => ((on.cpuPerMinS - off.cpuPerMinS) * 1000) / (60 / on.intervalS);
  const firstSlow = slow[0]!;
  return [
    "## Agent",
    "",
    `Side by side in one window of ${seconds} s after a ${WARMUP_S} s start-up: every agent variant as \`run --interval 15s\` against a local sink answering 202, the default build also at 1 s, and Debian's node_exporter scraped every 15 s by the bench (as Prometheus would). ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "CPU"}, shared with other work while measured: CPU figures are CPU-seconds of the process itself (utime+stime from /proc/<pid>/stat), which the sharing does not inflate much; memory is VmRSS/VmHWM.`,
    "Goals (issue 16): RSS <= 45 MB steady and peak at 15 s, backlog replay of 20,000 samples <= 60 MB peak, <= 0.05 CPU-s per minute at 15 s, start-up to first sample < 300 ms, `once` < 0.1 s CPU.",
    ...(skipped ? ["", skipped] : []),
    "",
    "| process | interval | RSS now / peak | CPU per minute | CPU per collection / scrape | CPU of the first 5 s | samples (agent) / scrapes (node_exporter) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...(exporter ? [runRow(exporter)] : []),
    runRow(slowOff),
    ...slow.map((r) => ("crashed" in r ? `| ${r.label} | 15 s | crashed: ${r.crashed} | | | | |` : runRow(r))),
    ...(exporterFast ? [runRow(exporterFast)] : []),
    runRow(fastOff),
    runRow(fast),
    "",
    `The top processes (on by default, 10 by CPU and 10 by memory) cost ${processCost(fast, fastOff).toFixed(1)} ms of CPU per collection at 1 s${"crashed" in firstSlow ? "" : ` and ${processCost(firstSlow, slowOff).toFixed(1)} ms at 15 s`} (goal: at most 5 ms; CPU is counted in 10 ms ticks, so at 15 s over ${seconds} s the difference is within the resolution), and ${(fast.rssMb - fastOff.rssMb).toFixed(1)} MB of RSS at 1 s. \`npm run bench -- --only collect\` measures the same difference in-process, per collection, without the tick resolution.`,
    "",
    "| variant | `once` cold: CPU / peak RSS / spawn to first sample | `once` warm (counters from the last run) | replay of " + backlogCount.toLocaleString("en") + " spooled samples: wall / CPU / peak RSS |",
    "| --- | --- | --- | --- |",
    ...perVariant.map((v) =>
      "crashed" in v
        ? `| ${v.label} | crashed: ${v.crashed} | | |`
        : `| ${v.label} | ${v.cold.cpuS.toFixed(2)} s / ${mb(v.cold.maxRssMb)} / ${v.cold.firstSampleMs.toFixed(0)} ms | ${v.warm.cpuS.toFixed(2)} s / ${mb(v.warm.maxRssMb)} / ${v.warm.firstSampleMs.toFixed(0)} ms | ${v.backlog.seconds.toFixed(1)} s / ${v.backlog.cpuS.toFixed(2)} s / ${mb(v.backlog.maxRssMb)} |`,
    ),
    "",
    `Start-up of node_exporter to its first answered scrape: ${exporter ? `${exporter.startupMs.toFixed(0)} ms` : "not measured"}; of the agent to its first sample at the sink (\`once\`, warm): ${base.warm.firstSampleMs.toFixed(0)} ms (cold, the first run on a host, waits 250 ms for CPU and network rates).`,
    "",
    `Download: linux-x64 ${mb(statSync(EXE).size / 1e6)}${sizes.gz ? `, gzip -9 ${mb(sizes.gz / 1e6)} (served as \`?gz\`, what the install script and self-update fetch)` : ""}${sizes.xz ? `, xz -6 ${mb(sizes.xz / 1e6)} (not served)` : ""}${existsSync(arm64) ? `; linux-arm64 ${mb(statSync(arm64).size / 1e6)}${existsSync(`${arm64}.gz`) ? `, gzip ${mb(statSync(`${arm64}.gz`).size / 1e6)}` : ""}` : ""}; node_exporter's binary ${existsSync(NODE_EXPORTER) ? mb(statSync(NODE_EXPORTER).size / 1e6) : "?"} (Node ${process.versions.node} single executable).`,
    "",
    "Command: `npm run bench -- --only agent` (`IW_BENCH_AGENT_SECONDS` and `IW_BENCH_AGENT_BACKLOG` shorten it; `node --import tsx scripts/bench/agent.ts` prints this section alone).",
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchAgent().then(
    (section) => process.stdout.write(section),
    (err: Error) => {
      process.stderr.write(`bench agent: ${err.message}\n`);
      process.exit(1);
    },
  );
}

/**
 * The agent's cost on a host: executable size, resident memory and CPU seconds per minute of
 * `run` at a 15 s and a 1 s interval against a local sink that accepts everything, plus one
 * `once`. Memory is VmRSS/VmHWM from /proc/<pid>/status, CPU is utime+stime from
 * /proc/<pid>/stat, both of the agent process itself.
 *
 *   node --import tsx scripts/bench/agent.ts          prints the markdown section
 *   IW_BENCH_AGENT_SECONDS=20 ...                     shorter measurement (default 60 s)
 *   IW_BENCH_AGENT_BACKLOG=5000 ...                   smaller replayed backlog (default 20,000)
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
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
  const received = { batches: 0, samples: 0, snapshots: 0 };
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
  intervalS: number;
  startupCpuS: number;
  cpuPerMinS: number;
  rssMb: number;
  hwmMb: number;
  samples: number;
}

async function measureRun(intervalS: number, seconds: number): Promise<RunFigures> {
  const sink = await startSink();
  const child = spawn(EXE, ["run", "--interval", `${intervalS}s`, ...agentFiles(sink.url)], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (c: Buffer) => (log += c));
  const pid = child.pid!;
  try {
    await sleep(WARMUP_S * 1000);
    const startupCpuS = cpuSeconds(pid);
    await sleep(seconds * 1000);
    const cpuPerMinS = ((cpuSeconds(pid) - startupCpuS) / seconds) * 60;
    const figures = { intervalS, startupCpuS, cpuPerMinS, rssMb: memoryKb(pid, "VmRSS") / 1024, hwmMb: memoryKb(pid, "VmHWM") / 1024, samples: sink.received.samples };
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    if (figures.samples === 0) throw new Error(`the agent delivered nothing at ${intervalS}s:\n${log}`);
    return figures;
  } finally {
    child.kill("SIGKILL");
    sink.close();
  }
}

/** One `once` under GNU time, when it is installed: its peak memory and CPU. */
async function measureOnce(): Promise<{ cpuS: number; maxRssMb: number } | undefined> {
  if (!existsSync("/usr/bin/time")) return undefined;
  const sink = await startSink();
  try {
    const files = agentFiles(sink.url);
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn("/usr/bin/time", ["-f", "%U %S %M", EXE, "once", ...files], { stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr!.on("data", (c: Buffer) => (err += c));
      child.on("exit", (code) => (code === 0 ? resolve(err) : reject(new Error(`once failed: ${err}`))));
    });
    const [user, sys, maxKb] = out.trim().split("\n").at(-1)!.split(" ").map(Number);
    return { cpuS: user! + sys!, maxRssMb: maxKb! / 1024 };
  } finally {
    sink.close();
  }
}

/**
 * What coming back after a long outage costs: `once` delivering a spool of `count` samples
 * (at 15 s, 20,000 is about three and a half days), under GNU time.
 */
async function measureBacklog(count: number): Promise<{ seconds: number; cpuS: number; maxRssMb: number } | undefined> {
  if (!existsSync("/usr/bin/time")) return undefined;
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
      const child = spawn("/usr/bin/time", ["-f", "%e %U %S %M", EXE, "once", ...files], { stdio: ["ignore", "ignore", "pipe"] });
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

export async function benchAgent(): Promise<string> {
  execFileSync(process.execPath, [path.join(ROOT, "scripts/build-agent.mjs")], { cwd: ROOT, stdio: "ignore" });
  const seconds = Number(process.env.IW_BENCH_AGENT_SECONDS) || 60;
  const [slow, fast] = await Promise.all([measureRun(15, seconds), measureRun(1, seconds)]);
  const once = await measureOnce();
  const backlogCount = Number(process.env.IW_BENCH_AGENT_BACKLOG) || 20_000;
  const backlog = await measureBacklog(backlogCount);
  const arm64 = path.join(ROOT, "dist/agent/infra-watch-agent-linux-arm64");
  const row = (r: RunFigures) =>
    `| \`run --interval ${r.intervalS}s\` | ${mb(r.rssMb)} / ${mb(r.hwmMb)} | ${r.cpuPerMinS.toFixed(3)} s | ${r.startupCpuS.toFixed(2)} s | ${r.samples} |`;
  return [
    "## Agent",
    "",
    `Executable: linux-x64 ${mb(statSync(EXE).size / 1e6)}${existsSync(arm64) ? `, linux-arm64 ${mb(statSync(arm64).size / 1e6)}` : ""} (Node ${process.versions.node} single executable).`,
    `Measured over ${seconds} s after a ${WARMUP_S} s start-up, both intervals at once, against a local sink answering 202; ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "CPU"}.`,
    "Goals: RSS <= 60 MB, < 0.5 s CPU per minute at 15 s.",
    "",
    "| mode | RSS now / peak (VmRSS / VmHWM) | CPU per minute (utime+stime) | CPU of the first 5 s (start-up and first snapshot; the package manager child not counted) | samples delivered |",
    "| --- | --- | --- | --- | --- |",
    row(slow),
    row(fast),
    ...(once ? [`| \`once\` (cron) | peak ${mb(once.maxRssMb)} | ${once.cpuS.toFixed(2)} s per run | | 1 |`] : []),
    "",
    ...(backlog
      ? [
          `After an outage: \`once\` replaying a spool of ${backlogCount.toLocaleString("en")} samples took ${backlog.seconds.toFixed(1)} s wall, ${backlog.cpuS.toFixed(2)} s CPU, peak RSS ${mb(backlog.maxRssMb)}.`,
          "",
        ]
      : []),
    "Command: `node --import tsx scripts/bench/agent.ts` (`IW_BENCH_AGENT_SECONDS` and `IW_BENCH_AGENT_BACKLOG` shorten it).",
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

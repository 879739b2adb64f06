import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from "node:fs";
import type { ProcessInfo } from "../../lib/protocol";
import { MAX_CMDLINE_CHARS, MAX_PROCESS_NAME_CHARS, MAX_PROCESS_NAMES } from "../../lib/protocol/constants";
import { redactCommandLine } from "../../lib/protocol/redaction";
import { inProc, inRoot, type HostPaths } from "./host-paths";
import { parsePasswd } from "./accounts";

/** Default of `--top-processes`: this many by CPU and this many by memory, merged. */
export const DEFAULT_TOP_PROCESSES = 10;
/** Twice this is the protocol's MAX_PROCESSES_PER_SAMPLE. */
export const MAX_TOP_PROCESSES = 25;
/** /proc directories read per sample at most: bounds the work on a host with a runaway fork count. */
export const MAX_SCANNED_PROCESSES = 8192;
/** Bytes of /proc/[pid]/cmdline read: enough to redact what can show in the first 256 characters. */
const CMDLINE_READ_BYTES = 4096;
/** USER_HZ, the unit of /proc/[pid]/stat times: 100 on every Linux architecture the agent is built for. */
const CLOCK_TICKS_PER_S = 100;

/** What the CPU and memory ranking needs of one process, kept between samples: [cpu ticks, start ticks, resident pages]. */
export type ProcessTicks = Record<string, [number, number, number]>;

export interface ProcessStat {
  pid: number;
  name: string;
  state: string;
  /** utime + stime, in clock ticks. */
  ticks: number;
  /** Start time, in clock ticks after boot: with the pid it tells a reused pid apart. */
  startTicks: number;
  rssPages: number;
}

/**
 * One /proc/[pid]/stat line: "pid (comm) state ppid ...". The name may hold spaces and
 * parentheses, so the fields after it are found from the last ")".
 */
export function parseProcessStat(text: string): ProcessStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // Fields from the state on: state(3) ppid ... utime(14) stime(15) ... starttime(22) vsize(23) rss(24).
  const rest = text.slice(close + 2).split(" ");
  const field = (n: number) => Number(rest[n - 3]);
  const [utime, stime, startTicks, rssPages] = [field(14), field(15), field(22), field(24)];
  if (!Number.isSafeInteger(pid) || pid <= 0 || ![utime, stime, startTicks, rssPages].every((n) => Number.isSafeInteger(n) && n >= 0)) return undefined;
  return { pid, name: text.slice(open + 1, close).slice(0, MAX_PROCESS_NAME_CHARS) || "?", state: rest[0] ?? "", ticks: utime + stime, startTicks, rssPages };
}

/**
 * The name between the first "(" and the last ")" of a stat line read as latin1 (the scan's
 * cheap decoding), re-decoded as UTF-8 like parseProcessStat's; empty names and NULs are left out.
 */
export function processName(latin1Line: string): string | undefined {
  const open = latin1Line.indexOf("(");
  const close = latin1Line.lastIndexOf(")");
  if (open < 0 || close <= open + 1) return undefined;
  const name = Buffer.from(latin1Line.slice(open + 1, close), "latin1").toString("utf8").slice(0, MAX_PROCESS_NAME_CHARS);
  return name.includes("\u0000") ? undefined : name;
}

/** argv from /proc/[pid]/cmdline (NUL-separated, a trailing NUL); empty for kernel threads. */
export function parseCmdline(raw: string): string[] {
  const args = raw.split("\u0000");
  if (args.at(-1) === "") args.pop();
  return args;
}

/** Cuts at `max` characters without splitting a surrogate pair (the server refuses half of one). */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** The cmdline as sent: redacted first (a cut must not hide a secret's flag), then truncated. */
export function displayCmdline(argv: readonly string[]): string | undefined {
  if (argv.length === 0) return undefined;
  return truncateText(redactCommandLine(argv).trimEnd(), MAX_CMDLINE_CHARS) || undefined;
}

export interface RankedProcess {
  pid: number;
  cpuPct: number;
  rssPages: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * CPU % of each process over the interval, as a share of the whole host (the host's busy
 * jiffies and a process's ticks are both USER_HZ): its tick delta over the delta of all CPUs'
 * jiffies. A pid absent before counts from its start if it started within the interval,
 * else (pid reused, or unseen) as 0 rather than a guess.
 */
export function rankProcesses(prev: ProcessTicks | undefined, cur: ProcessTicks, cpuJiffies: number, startedWithinInterval: (startTicks: number) => boolean): RankedProcess[] {
  const out: RankedProcess[] = [];
  for (const pid in cur) {
    const [ticks, start, rssPages] = cur[pid]!;
    const before = prev?.[pid];
    const delta = before && before[1] === start ? ticks - before[0] : startedWithinInterval(start) ? ticks : 0;
    const cpuPct = cpuJiffies > 0 ? round2(Math.min(100, Math.max(0, (delta / cpuJiffies) * 100))) : 0;
    out.push({ pid: Number(pid), cpuPct, rssPages });
  }
  return out;
}

/** The top `n` by CPU and the top `n` by resident memory, merged, busiest first (at most 2n). */
export function selectTop(ranked: readonly RankedProcess[], n: number): RankedProcess[] {
  if (n <= 0) return [];
  const byCpu = [...ranked].sort((a, b) => b.cpuPct - a.cpuPct || b.rssPages - a.rssPages || a.pid - b.pid).slice(0, n);
  const byRss = [...ranked].sort((a, b) => b.rssPages - a.rssPages || b.cpuPct - a.cpuPct || a.pid - b.pid).slice(0, n);
  const chosen = new Map<number, RankedProcess>();
  for (const p of [...byCpu, ...byRss]) chosen.set(p.pid, p);
  return [...chosen.values()].sort((a, b) => b.cpuPct - a.cpuPct || b.rssPages - a.rssPages || a.pid - b.pid);
}

// Synchronous reads: /proc files are generated in memory, and one open/read/close per file costs
// a fraction of the promise-based readFile's five libuv round trips (BENCHMARKS.md, "processes").
const buffer = Buffer.alloc(CMDLINE_READ_BYTES);

/** Bytes read into the shared buffer, or -1 (the process exited, or may not be read). */
function readProcBytes(file: string, maxBytes: number): number {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    return readSync(fd, buffer, 0, Math.min(maxBytes, buffer.length), 0);
  } catch {
    return -1;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readProcFile(file: string, maxBytes: number): string | undefined {
  const n = readProcBytes(file, maxBytes);
  return n < 0 ? undefined : buffer.toString("utf8", 0, n);
}

const isPid = (name: string) => {
  if (name.length === 0 || name.length > 7) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/**
 * The ranking inputs of every process (up to MAX_SCANNED_PROCESSES); a process gone mid-scan is
 * skipped. `names`, when given, collects every distinct process name seen (for the server's
 * processMissing rules: the top processes prove that a process runs, never that it does not).
 */
export function scanProcessTicks(paths: HostPaths, max = MAX_SCANNED_PROCESSES, names?: Set<string>): ProcessTicks {
  const ticks: ProcessTicks = {};
  let entries: string[];
  try {
    entries = readdirSync(paths.proc);
  } catch {
    return ticks;
  }
  let scanned = 0;
  for (const name of entries) {
    if (!isPid(name)) continue;
    if (++scanned > max) break;
    const n = readProcBytes(inProc(paths, `${name}/stat`), 1024);
    if (n <= 0) continue;
    const line = buffer.toString("latin1", 0, n);
    const fields = statFields(line);
    if (!fields) continue;
    ticks[name] = fields;
    if (names && names.size < MAX_PROCESS_NAMES) {
      const comm = processName(line);
      if (comm) names.add(comm);
    }
  }
  return ticks;
}

/**
 * [utime + stime, starttime, rss] of a stat line, as parseProcessStat reads them but splitting
 * only up to the rss field. This runs for every process every interval, and at a 15 s interval
 * V8 never optimizes it: native string builtins (lastIndexOf, a bounded split) beat a
 * byte-by-byte loop there by three times (BENCHMARKS.md, "Agent").
 */
export function statFields(text: string): [number, number, number] | undefined {
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  // Fields from the state (3) on; utime is 14, stime 15, starttime 22, rss 24.
  const f = text.slice(close + 2).split(" ", 22);
  const [utime, stime, start, rss] = [Number(f[11]), Number(f[12]), Number(f[19]), Number(f[21])];
  if (!(Number.isSafeInteger(utime) && Number.isSafeInteger(stime) && Number.isSafeInteger(start) && Number.isSafeInteger(rss))) return undefined;
  if (utime < 0 || stime < 0 || start < 0 || rss < 0) return undefined;
  return [utime + stime, start, rss];
}

/** The kernel's page size, from the agent's own first mapping in /proc/self/smaps (4 KiB unless the kernel says otherwise). */
function pageSize(paths: HostPaths): number {
  const text = readProcFile(inProc(paths, "self/smaps"), 2048) ?? "";
  const match = /KernelPageSize:\s+(\d+) kB/.exec(text);
  return match ? Number(match[1]) * 1024 : 4096;
}

/** uid -> user name from the host's /etc/passwd, re-read only when the file changes. */
class UserNames {
  private mtimeMs = -1;
  private names = new Map<number, string>();
  constructor(private readonly file: string) {}

  /** Re-reads the file if it changed; once per sample. */
  refresh(): void {
    const mtimeMs = statSync(this.file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (mtimeMs === this.mtimeMs) return;
    this.mtimeMs = mtimeMs;
    const text = mtimeMs === 0 ? undefined : readWhole(this.file);
    this.names = new Map((text ? parsePasswd(text) : []).map((u) => [u.uid, u.name]));
  }

  lookup(uid: number): string {
    return this.names.get(uid) ?? String(uid);
  }
}

function readWhole(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Reads the details of the chosen processes (name, state, owner, start, command line) and turns
 * the ranking into the wire's shape. Lives as long as the sampler: it caches the page size and
 * the uid -> name table.
 */
export class ProcessDetails {
  private readonly pageBytes: number;
  private readonly users: UserNames;

  constructor(private readonly paths: HostPaths) {
    this.pageBytes = pageSize(paths);
    this.users = new UserNames(inRoot(paths, "etc/passwd"));
  }

  /** The last redacted command line per pid, by its raw text: the top set changes little between samples. */
  private cmdlines = new Map<number, { raw: string; display: string | undefined }>();

  /** Redaction is the costly part of a command line; it runs again only when the raw text changed. */
  private cmdline(pid: number, raw: string, seen: Map<number, { raw: string; display: string | undefined }>): string | undefined {
    const known = this.cmdlines.get(pid);
    const entry = known && known.raw === raw ? known : { raw, display: displayCmdline(parseCmdline(raw)) };
    seen.set(pid, entry);
    return entry.display;
  }

  describe(chosen: readonly RankedProcess[], bootTime: number): ProcessInfo[] {
    const out: ProcessInfo[] = [];
    // Only this sample's processes stay cached: the cache is as bounded as the sample.
    const seen = new Map<number, { raw: string; display: string | undefined }>();
    if (chosen.length > 0) this.users.refresh();
    for (const p of chosen) {
      const dir = inProc(this.paths, String(p.pid));
      const text = readProcFile(`${dir}/stat`, 1024);
      const stat = text === undefined ? undefined : parseProcessStat(text);
      if (!stat) continue; // exited since the scan
      const owner = statSync(dir, { throwIfNoEntry: false });
      const cmdline = this.cmdline(p.pid, readProcFile(`${dir}/cmdline`, CMDLINE_READ_BYTES) ?? "", seen);
      const startedAt = bootTime > 0 ? new Date((bootTime + stat.startTicks / CLOCK_TICKS_PER_S) * 1000) : undefined;
      out.push({
        pid: p.pid,
        name: stat.name,
        ...(owner ? { user: this.users.lookup(owner.uid) } : {}),
        cpuPct: p.cpuPct,
        rssBytes: stat.rssPages * this.pageBytes,
        ...(stat.state ? { state: stat.state } : {}),
        ...(startedAt && Number.isFinite(startedAt.getTime()) ? { startedAt: startedAt.toISOString() } : {}),
        ...(cmdline ? { cmdline } : {}),
      });
    }
    this.cmdlines = seen;
    return out;
  }
}

/** Whether a start time (clock ticks after boot) falls after `sinceMs` (epoch ms). */
export const startedAfter = (bootTime: number, sinceMs: number) => (startTicks: number) => (bootTime + startTicks / CLOCK_TICKS_PER_S) * 1000 >= sinceMs;

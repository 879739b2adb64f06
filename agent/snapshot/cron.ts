import { open, readdir } from "node:fs/promises";
import path from "node:path";
import type { ScheduledJob } from "../../lib/protocol";
import { MAX_JOB_COMMAND_CHARS, MAX_JOBS, MAX_NAME_CHARS } from "../../lib/protocol/constants";
import { redactCommandLine } from "../../lib/protocol/redaction";
import { inRoot, type HostPaths } from "../collect/host-paths";
import { truncateText } from "../collect/processes";

/** Bounds of the crontab scan: files per directory, lines per file, bytes per file. */
export const MAX_CRON_FILES = 500;
export const MAX_CRON_LINES = 2_000;
const MAX_CRON_BYTES = 1024 * 1024;

const isSpace = (c: string | undefined) => c === " " || c === "\t";

/** `NAME=value` (with optional spaces around `=`): a variable for the jobs below, not a job. */
function isAssignment(line: string): boolean {
  let i = 0;
  while (i < line.length && /[A-Za-z0-9_]/.test(line[i]!)) i++;
  if (i === 0 || /[0-9]/.test(line[0]!)) return false;
  while (isSpace(line[i])) i++;
  return line[i] === "=";
}

/** The first `n` whitespace-separated fields of a line, and the rest of it as written. */
function fields(line: string, n: number): { fields: string[]; rest: string } | undefined {
  const out: string[] = [];
  let i = 0;
  while (out.length < n) {
    while (isSpace(line[i])) i++;
    if (i >= line.length) return undefined;
    const start = i;
    while (i < line.length && !isSpace(line[i])) i++;
    out.push(line.slice(start, i));
  }
  while (isSpace(line[i])) i++;
  return { fields: out, rest: line.slice(i) };
}

/** A cron command as sent: its secrets redacted like a command line, bounded. */
export const displayCommand = (command: string) => truncateText(redactCommandLine(command.split(/[ \t]+/).filter(Boolean)), MAX_JOB_COMMAND_CHARS);

/**
 * One crontab. System crontabs (/etc/crontab, /etc/cron.d/*) name the user after the schedule;
 * a user's crontab is that user's (`user`). `@reboot`, `@daily`... stand for the five fields.
 */
export function parseCrontab(text: string, source: string, format: { systemFormat: true } | { user: string }): ScheduledJob[] {
  const jobs: ScheduledJob[] = [];
  const system = "systemFormat" in format;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length && i < MAX_CRON_LINES; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#") || isAssignment(line)) continue;
    const scheduleFields = line.startsWith("@") ? 1 : 5;
    const parsed = fields(line, scheduleFields + (system ? 1 : 0));
    if (!parsed || parsed.rest === "") continue;
    const schedule = parsed.fields.slice(0, scheduleFields).join(" ");
    const user = system ? parsed.fields[scheduleFields]! : format.user;
    jobs.push({ source, schedule: schedule.slice(0, MAX_NAME_CHARS), command: displayCommand(parsed.rest), user: user.slice(0, MAX_NAME_CHARS) });
  }
  return jobs;
}

/** Package managers' leftovers and editor backups, which cron itself skips. */
const ignoredName = (name: string) => name.startsWith(".") || name.endsWith("~") || name.includes(".dpkg-") || name.includes(".rpm") || name.endsWith(".swp");

async function readBounded(file: string): Promise<string | undefined> {
  const handle = await open(file, "r").catch(() => undefined);
  if (!handle) return undefined;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return undefined;
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_CRON_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.toString("utf8", 0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

async function listDir(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => !ignoredName(n)).sort().slice(0, MAX_CRON_FILES);
}

/**
 * Every crontab the host's cron daemons read: /etc/crontab and /etc/cron.d/* (system format),
 * user crontabs in /var/spool/cron/crontabs (Debian), /var/spool/cron (Rocky's cronie) and
 * /etc/crontabs (Alpine's busybox crond). Unreadable ones (user crontabs need root) are skipped.
 */
export async function collectCronJobs(paths: HostPaths): Promise<ScheduledJob[]> {
  const system: Array<{ file: string; user?: string }> = [{ file: "/etc/crontab" }, ...(await listDir(inRoot(paths, "etc/cron.d"))).map((n) => ({ file: `/etc/cron.d/${n}` }))];
  const userDirs = ["/var/spool/cron/crontabs", "/var/spool/cron", "/etc/crontabs"];
  const users = (await Promise.all(userDirs.map(async (dir) => (await listDir(inRoot(paths, dir))).map((n) => ({ file: path.posix.join(dir, n), user: n }))))).flat();
  const jobs: ScheduledJob[] = [];
  for (const entry of [...system, ...users]) {
    if (jobs.length >= MAX_JOBS) break;
    const text = await readBounded(inRoot(paths, entry.file));
    if (text === undefined) continue;
    jobs.push(...parseCrontab(text, entry.file, entry.user !== undefined ? { user: entry.user } : { systemFormat: true }));
  }
  return jobs.slice(0, MAX_JOBS);
}

/**
 * /proc/loadavg: "0.52 0.61 0.58 2/347 12345". The fourth field is running/total scheduling
 * entities: its total is every thread on the host (kernel threads included), the same number as
 * summing Threads: over /proc/[pid]/status at about a hundredth of the cost (BENCHMARKS.md, "Agent:
 * process and thread counts"), and the file is read for the load averages anyway.
 */
export function parseLoadavg(text: string): { load1: number; load5: number; load15: number; threadCount?: number } {
  const fields = text.trim().split(/\s+/);
  const [load1 = 0, load5 = 0, load15 = 0] = fields.slice(0, 3).map(Number);
  const total = Number(fields[3]?.split("/")[1]);
  return { load1, load5, load15, ...(Number.isSafeInteger(total) && total >= 0 ? { threadCount: total } : {}) };
}

/** Processes: the all-digit entries of /proc (one directory per PID; threads are not listed there). */
export function countProcesses(procEntries: readonly string[]): number {
  let n = 0;
  for (const name of procEntries) if (name.length > 0 && [...name].every((c) => c >= "0" && c <= "9")) n++;
  return n;
}

/** Seconds since boot: the first number of /proc/uptime. */
export function parseUptime(text: string): number {
  const seconds = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(seconds) ? Math.floor(seconds) : 0;
}

/** KEY=value lines of /etc/os-release; values may be quoted. */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) fields.set(match[1]!, unquote(match[2]!));
  }
  return fields;
}

export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0]) return v.slice(1, -1).replace(/\\(["'$`\\])/g, "$1");
  return v;
}

/** "Debian GNU/Linux 12 (bookworm)"; PRETTY_NAME is optional, so fall back to NAME VERSION. */
export function osName(release: Map<string, string>): string | undefined {
  const pretty = release.get("PRETTY_NAME");
  if (pretty) return pretty;
  const name = release.get("NAME");
  return name ? [name, release.get("VERSION") ?? release.get("VERSION_ID")].filter(Boolean).join(" ") : undefined;
}

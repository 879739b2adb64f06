export function parseLoadavg(text: string): { load1: number; load5: number; load15: number } {
  const [load1 = 0, load5 = 0, load15 = 0] = text.trim().split(/\s+/).map(Number);
  return { load1, load5, load15 };
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

/**
 * What the agent collects beyond the fixed metrics, from the command line (agent/cli/args.ts)
 * or the config file (agent/config.ts), the command line winning. Checked once, at start: a
 * bad value is a clear error, never a collector that fails every interval.
 */
import { MAX_NAME_CHARS, MAX_PATH_CHARS, MAX_SYSCTL_KEYS, MAX_WATCHED_FILES } from "../lib/protocol/constants";
import { DEFAULT_TOP_PROCESSES, MAX_TOP_PROCESSES } from "./collect/processes";

export interface CollectionSettings {
  /** Top N by CPU and top N by memory per sample; 0 = no processes. */
  topProcesses: number;
  /** Absolute paths; the last part may hold `*` (one directory's listing). */
  watchFiles: string[];
  sysctlKeys: string[];
}

/** The list: what an intruder or a bad change edits first. */
export const DEFAULT_WATCH_FILES = [
  "/etc/ssh/sshd_config",
  "/etc/sudoers",
  "/etc/sudoers.d/*",
  "/etc/passwd",
  "/etc/group",
  "/etc/hosts",
  "/etc/resolv.conf",
  "/etc/fstab",
  "/etc/crontab",
];

/** Kernel settings a hardening baseline (CIS, the kernel self-protection project) checks. */
export const DEFAULT_SYSCTL_KEYS = [
  "kernel.randomize_va_space",
  "kernel.kptr_restrict",
  "kernel.dmesg_restrict",
  "kernel.yama.ptrace_scope",
  "kernel.unprivileged_bpf_disabled",
  "kernel.sysrq",
  "fs.protected_hardlinks",
  "fs.protected_symlinks",
  "fs.protected_fifos",
  "fs.protected_regular",
  "fs.suid_dumpable",
  "net.ipv4.ip_forward",
  "net.ipv6.conf.all.forwarding",
  "net.ipv4.conf.all.rp_filter",
  "net.ipv4.conf.all.accept_redirects",
  "net.ipv4.conf.all.send_redirects",
  "net.ipv4.conf.all.accept_source_route",
  "net.ipv4.conf.all.log_martians",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.icmp_echo_ignore_broadcasts",
];

export const DEFAULT_SETTINGS: CollectionSettings = { topProcesses: DEFAULT_TOP_PROCESSES, watchFiles: DEFAULT_WATCH_FILES, sysctlKeys: DEFAULT_SYSCTL_KEYS };

export function topProcessesProblem(n: unknown): string | undefined {
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= MAX_TOP_PROCESSES ? undefined : `must be a whole number from 0 (off) to ${MAX_TOP_PROCESSES}`;
}

export function watchPathProblem(file: unknown): string | undefined {
  if (typeof file !== "string" || !file.startsWith("/")) return "must be an absolute path";
  if (file.length > MAX_PATH_CHARS || file.includes("\u0000")) return `must be at most ${MAX_PATH_CHARS} characters, without NUL`;
  const parts = file.split("/");
  if (parts.includes("..")) return 'must not contain ".."';
  if (parts.slice(0, -1).some((p) => p.includes("*"))) return "may have * only in its last part (a glob over one directory's listing)";
  return undefined;
}

/** `net.ipv4.ip_forward`: dot-separated names of letters, digits, `_` and `-` (read below /proc/sys). */
export function sysctlKeyProblem(key: unknown): string | undefined {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_NAME_CHARS) return `must be 1 to ${MAX_NAME_CHARS} characters`;
  const ok = key.split(".").every((part) => part.length > 0 && [...part].every((c) => /[A-Za-z0-9_-]/.test(c)));
  return ok ? undefined : "must be dot-separated names of letters, digits, _ and - (like net.ipv4.ip_forward)";
}

const listProblem = (values: unknown, max: number, item: (v: unknown) => string | undefined): string | undefined => {
  if (!Array.isArray(values)) return "must be a list";
  if (values.length > max) return `must have at most ${max} entries`;
  for (const v of values) {
    const problem = item(v);
    if (problem) return `${JSON.stringify(v)} ${problem}`;
  }
  return undefined;
};

export interface StoredSettings {
  topProcesses?: unknown;
  watchFiles?: unknown;
  sysctl?: unknown;
}

/**
 * The effective settings: a command-line value, else the config file's, else the default.
 * Returns the first problem of the config file's values instead, so the caller names the file.
 */
export function resolveSettings(cli: Partial<CollectionSettings>, stored: StoredSettings): CollectionSettings | { problem: string } {
  const checks: Array<[string, unknown, string | undefined]> = [
    ["topProcesses", stored.topProcesses, stored.topProcesses === undefined ? undefined : topProcessesProblem(stored.topProcesses)],
    ["watchFiles", stored.watchFiles, stored.watchFiles === undefined ? undefined : listProblem(stored.watchFiles, MAX_WATCHED_FILES, watchPathProblem)],
    ["sysctl", stored.sysctl, stored.sysctl === undefined ? undefined : listProblem(stored.sysctl, MAX_SYSCTL_KEYS, sysctlKeyProblem)],
  ];
  const bad = checks.find(([, , problem]) => problem);
  if (bad) return { problem: `"${bad[0]}" ${bad[2]}` };
  return {
    topProcesses: cli.topProcesses ?? (stored.topProcesses as number | undefined) ?? DEFAULT_SETTINGS.topProcesses,
    watchFiles: cli.watchFiles ?? (stored.watchFiles as string[] | undefined) ?? DEFAULT_SETTINGS.watchFiles,
    sysctlKeys: cli.sysctlKeys ?? (stored.sysctl as string[] | undefined) ?? DEFAULT_SETTINGS.sysctlKeys,
  };
}

/** The settings the command line gave (agent/cli/args.ts Options), for resolveSettings. */
export function commandLineSettings(options: { topProcesses?: number; watchFiles?: string[]; sysctlKeys?: string[] }): Partial<CollectionSettings> {
  return {
    ...(options.topProcesses !== undefined ? { topProcesses: options.topProcesses } : {}),
    ...(options.watchFiles ? { watchFiles: options.watchFiles } : {}),
    ...(options.sysctlKeys ? { sysctlKeys: options.sysctlKeys } : {}),
  };
}

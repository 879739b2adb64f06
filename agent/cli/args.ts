import os from "node:os";
import path from "node:path";
import { sysctlKeyProblem, topProcessesProblem, watchPathProblem } from "../settings";
import { MAX_LABELS_PER_HOST } from "../../lib/protocol/constants";
import { parseLabelArgument, type Labels } from "../../lib/protocol/labels";

export class UsageError extends Error {}

export type Command = "enroll" | "run" | "once" | "status" | "update" | "help" | "version";

export interface Options {
  command: Command;
  config: string;
  spool: string;
  spoolMaxBytes: number;
  hostRoot: string;
  procRoot?: string;
  /** A Docker-compatible Engine API socket; "off" for none; unset: Docker's and podman's usual sockets. */
  containerSocket?: string;
  /** $XDG_RUNTIME_DIR, where a rootless podman's socket is. */
  xdgRuntimeDir?: string;
  server?: string;
  /** The enrollment token, once read (see ./token.ts for --token-file and --token-stdin). */
  token?: string;
  /** Where the token comes from: argv is visible to every local user (ps), the others are not. */
  tokenSource?: "argv" | "env" | "file" | "stdin";
  tokenFile?: string;
  /** How long `enroll` waits for an admin to approve a re-enrollment, and how often it asks. */
  enrollWaitMs: number;
  enrollPollMs: number;
  intervalMs: number;
  snapshotIntervalMs: number;
  /** Install a newer agent the server announces (run and once); off unless asked for. */
  autoUpdate: boolean;
  /** `--label k=v` (repeatable): this host's labels, replacing the config file's; undefined when none was given. */
  labels?: Labels;
  verbose: boolean;
  /** Collection settings given on the command line; they win over the config file's (agent/settings.ts). */
  topProcesses?: number;
  watchFiles?: string[];
  sysctlKeys?: string[];
}

export const HELP = `infra-watch-agent — sends this host's metrics and configuration to an Infra-Watch server

Usage:
  infra-watch-agent enroll --server URL --token-stdin  register this host, save the config
                       (token from stdin, --token-file FILE or IW_ENROLL_TOKEN; --token TOKEN
                       works too but shows the token to every local user in ps)
                       [--wait 15m] [--poll-interval 10s]  a re-enrollment without the current
                       agent token waits this long for an admin's approval on the host page
  infra-watch-agent run [--interval 15s] [--snapshot-interval 1h]
                                                       collect and send until stopped
                                                       (with --server and --token: enroll first if not enrolled)
  infra-watch-agent once                               one sample, flush the spool, snapshot if changed (cron)
                       [--auto-update]  install a newer agent the server announces, then exit
                                        (systemd restarts it; the install script's unit sets this)
  infra-watch-agent status                             server reachability, last delivery, spool depth
                                                       and age, version, update state
  infra-watch-agent update                             install the server's newer agent now (verified
                                                       against the release key pinned at enrollment)

Options (every command):
  --config PATH        default /etc/infra-watch/agent.json as root, ~/.config/infra-watch/agent.json otherwise (env IW_CONFIG)
  --spool DIR          default /var/lib/infra-watch/spool as root, ~/.local/state/infra-watch/spool otherwise (env IW_SPOOL)
  --spool-max SIZE     bound of the spool, oldest samples dropped first (default 64MiB)
  --host-root DIR      the host's / when running in a container, e.g. /host (env IW_HOST_ROOT)
  --proc-root DIR      the host's /proc, default <host-root>/proc (env IW_PROC_ROOT)
  --label KEY=VALUE    a label for this host (repeatable; a bare KEY has the empty value); given to
                       enroll it is saved in the config's "labels", given to run or once it
                       replaces them for that run. Keys a-z 0-9 _ . - /, values A-Z a-z 0-9 _ . -
  --container-socket PATH  a Docker-compatible Engine API socket for container stats, or "off"
                       (env IW_CONTAINER_SOCKET; default: the first of /var/run/docker.sock,
                       /run/podman/podman.sock, $XDG_RUNTIME_DIR/podman/podman.sock that exists)
  --server URL         also from IW_SERVER
  --token-stdin, --token-file FILE, --token TOKEN   the enrollment token; also from IW_ENROLL_TOKEN
  --top-processes N    send the top N processes by CPU and the top N by memory with every sample
                       (default 10, 0 = off, at most 25; config "topProcesses")
  --watch-file PATH    a file whose sha256, size, mode, owner and mtime the snapshot reports; repeat
                       it; the last part may be a glob like /etc/sudoers.d/* (one directory's
                       listing). Replaces the default list (config "watchFiles")
  --sysctl KEY         a sysctl value the snapshot reports (e.g. net.ipv4.ip_forward); repeat it.
                       Replaces the default security set (config "sysctl")
  --verbose            log every sample and delivery
  --version, --help
`;

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "15s", "500ms", "1h", or a bare number of seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag}: expected a duration like 15s, 1m or 1h, got "${text}"`);
  const ms = Number(match[1]) * UNITS_MS[match[2] ?? "s"]!;
  if (ms < 100) throw new UsageError(`${flag}: must be at least 100ms`);
  return ms;
}

const UNITS_BYTES: Record<string, number> = { "": 1, b: 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };

/** "64MiB", "100MB", "1g", or a bare number of bytes. */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS_BYTES[(match?.[2] ?? "x").toLowerCase()];
  if (!match || unit === undefined) throw new UsageError(`${flag}: expected a size like 64MiB, got "${text}"`);
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 64 * 1024) throw new UsageError(`${flag}: must be at least 64KiB`);
  return bytes;
}

interface Environment {
  env: Record<string, string | undefined>;
  isRoot: boolean;
  home: string;
}

const defaults = ({ env, isRoot, home }: Environment) => ({
  config: isRoot ? "/etc/infra-watch/agent.json" : path.join(home, ".config/infra-watch/agent.json"),
  spool: isRoot ? "/var/lib/infra-watch/spool" : path.join(env.XDG_STATE_HOME || path.join(home, ".local/state"), "infra-watch/spool"),
});

/** Flags that may be given more than once; each occurrence adds a value. */
const LIST_FLAGS = new Set(["--watch-file", "--sysctl"]);
const VALUE_FLAGS = new Set(["--top-processes", "--config", "--spool", "--spool-max", "--host-root", "--proc-root", "--container-socket", "--server", "--token", "--token-file", "--interval", "--snapshot-interval", "--wait", "--poll-interval"]);
const COMMANDS = new Set<Command>(["enroll", "run", "once", "status", "update", "help", "version"]);

export function parseArgs(
  argv: string[],
  environment: Environment = { env: process.env, isRoot: process.getuid?.() === 0, home: os.homedir() },
): Options {
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  let command: Command | undefined;
  let verbose = false;
  let autoUpdate = false;
  let tokenStdin = false;
  let labels: Labels | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--help" || flag === "-h") command = "help";
    else if (flag === "--version" || flag === "-v") command ??= "version";
    else if (flag === "--verbose") verbose = true;
    else if (flag === "--auto-update") autoUpdate = true;
    else if (flag === "--token-stdin") tokenStdin = true;
    else if (LIST_FLAGS.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "") throw new UsageError(`${flag} needs a value`);
      lists.set(flag, [...(lists.get(flag) ?? []), value]);
    } else if (flag === "--label") {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "") throw new UsageError("--label needs KEY=VALUE");
      const label = parseLabelArgument(value);
      if (!label.ok) throw new UsageError(`--label: ${label.message}`);
      labels ??= {};
      if (Object.prototype.hasOwnProperty.call(labels, label.key)) throw new UsageError(`--label: "${label.key}" is given twice`);
      if (Object.keys(labels).length === MAX_LABELS_PER_HOST) throw new UsageError(`--label: at most ${MAX_LABELS_PER_HOST} labels per host`);
      labels[label.key] = label.value;
    } else if (VALUE_FLAGS.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "") throw new UsageError(`${flag} needs a value`);
      values.set(flag, value);
    } else if (flag.startsWith("-")) throw new UsageError(`unknown option ${flag} (see --help)`);
    else if (!command && COMMANDS.has(flag as Command)) command = flag as Command;
    else throw new UsageError(command ? `unexpected argument "${flag}"` : `unknown command "${flag}" (see --help)`);
  }
  command ??= "help";
  const { env } = environment;
  const base = defaults(environment);
  const server = values.get("--server") ?? env.IW_SERVER;
  const given = [values.has("--token") && "--token", values.has("--token-file") && "--token-file", tokenStdin && "--token-stdin"].filter(Boolean);
  if (given.length > 1) throw new UsageError(`give the enrollment token one way, not ${given.join(" and ")}`);
  const tokenFile = values.get("--token-file");
  const token = values.get("--token") ?? (tokenFile || tokenStdin ? undefined : env.IW_ENROLL_TOKEN || undefined);
  const tokenSource = values.has("--token") ? "argv" : tokenFile ? "file" : tokenStdin ? "stdin" : token ? "env" : undefined;
  if (command === "enroll" && (!server || !tokenSource)) throw new UsageError("enroll needs --server URL and a token: --token-stdin, --token-file FILE or IW_ENROLL_TOKEN");
  const procRoot = values.get("--proc-root") ?? env.IW_PROC_ROOT;
  const containerSocket = values.get("--container-socket") ?? (env.IW_CONTAINER_SOCKET || undefined);
  return {
    command,
    config: path.resolve(values.get("--config") ?? env.IW_CONFIG ?? base.config),
    spool: path.resolve(values.get("--spool") ?? env.IW_SPOOL ?? base.spool),
    spoolMaxBytes: parseSize(values.get("--spool-max") ?? "64MiB", "--spool-max"),
    hostRoot: path.resolve(values.get("--host-root") ?? env.IW_HOST_ROOT ?? "/"),
    ...(procRoot ? { procRoot: path.resolve(procRoot) } : {}),
    ...(containerSocket ? { containerSocket: containerSocket === "off" ? "off" : path.resolve(containerSocket) } : {}),
    ...(env.XDG_RUNTIME_DIR ? { xdgRuntimeDir: env.XDG_RUNTIME_DIR } : {}),
    ...(server ? { server } : {}),
    ...(token ? { token } : {}),
    ...(tokenSource ? { tokenSource } : {}),
    ...(tokenFile ? { tokenFile: path.resolve(tokenFile) } : {}),
    enrollWaitMs: values.get("--wait") === "0" ? 0 : parseDuration(values.get("--wait") ?? "15m", "--wait"),
    enrollPollMs: parseDuration(values.get("--poll-interval") ?? "10s", "--poll-interval"),
    intervalMs: parseDuration(values.get("--interval") ?? "15s", "--interval"),
    snapshotIntervalMs: parseDuration(values.get("--snapshot-interval") ?? "1h", "--snapshot-interval"),
    autoUpdate,
    verbose,
    ...(values.has("--top-processes") ? { topProcesses: parseTopProcesses(values.get("--top-processes")!, "--top-processes") } : {}),
    ...(lists.has("--watch-file") ? { watchFiles: lists.get("--watch-file")!.map((p) => parseWatchPath(p, "--watch-file")) } : {}),
    ...(lists.has("--sysctl") ? { sysctlKeys: lists.get("--sysctl")!.map((k) => parseSysctlKey(k, "--sysctl")) } : {}),
    ...(labels ? { labels } : {}),
  };
}

function checked<T>(value: T, problem: string | undefined, flag: string, text: string): T {
  if (problem) throw new UsageError(`${flag}: "${text}" ${problem}`);
  return value;
}

const parseTopProcesses = (text: string, flag: string) => checked(Number(text), /^\d+$/.test(text) ? topProcessesProblem(Number(text)) : topProcessesProblem(NaN), flag, text);
const parseWatchPath = (text: string, flag: string) => checked(text, watchPathProblem(text), flag, text);
const parseSysctlKey = (text: string, flag: string) => checked(text, sysctlKeyProblem(text), flag, text);

/** The server as a base URL; a clear error for anything that is not http(s)://host[:port][/prefix]. */
export function parseServerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--server: "${text}" is not a URL; expected e.g. https://monitor.example.com`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--server: "${text}" must start with http:// or https://`);
  url.search = "";
  url.hash = "";
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

/** `api/telemetry` below the server's base (which may carry a path prefix behind a proxy). */
export const endpoint = (server: string, route: string) => new URL(route, parseServerUrl(server));

import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { labelSetProblems, type Labels } from "../lib/protocol/labels";
import { makeDir } from "./make-dir";
import { resolveSettings, type CollectionSettings } from "./settings";

/** What `enroll` saves: how to reach the server, who this host is, and the redaction key. */
export interface AgentConfig {
  server: string;
  hostId: string;
  agentToken: string;
  /** Per-host HMAC key for secret env values; kept across re-enrollment so hashes stay stable. */
  hostKey: string;
  machineId: string;
  /** The server's ed25519 release key (SPKI PEM), pinned at enrollment; self-updates must verify against it. */
  signingKey?: string;
  /** This host's labels (`{"env": "prod"}`), sent with every telemetry batch; `enroll --label` writes them. */
  labels?: Labels;
  /** Collection settings (agent/settings.ts): kept across re-enrollment; `--top-processes` etc. override them. */
  topProcesses?: number;
  watchFiles?: string[];
  sysctl?: string[];
}

/** The operator's settings in a config, carried over when enrollment rewrites it. */
export function storedSettings(config: AgentConfig | undefined): Pick<AgentConfig, "topProcesses" | "watchFiles" | "sysctl"> {
  if (!config) return {};
  return {
    ...(config.topProcesses !== undefined ? { topProcesses: config.topProcesses } : {}),
    ...(config.watchFiles !== undefined ? { watchFiles: config.watchFiles } : {}),
    ...(config.sysctl !== undefined ? { sysctl: config.sysctl } : {}),
  };
}

/** The effective collection settings, or a ConfigError naming the file and the bad value. */
export function collectionSettings(file: string, config: AgentConfig, cli: Partial<CollectionSettings>): CollectionSettings {
  const settings = resolveSettings(cli, config);
  if ("problem" in settings) throw new ConfigError(`config ${file}: ${settings.problem}`);
  return settings;
}

export class ConfigError extends Error {}

const FIELDS = ["server", "hostId", "agentToken", "hostKey", "machineId"] as const;

export async function readConfig(file: string): Promise<AgentConfig | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigError(`cannot read config ${file}: ${(err as Error).message}`);
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ConfigError(`config ${file} is not valid JSON; enroll again to rewrite it`);
  }
  const missing = FIELDS.filter((f) => typeof parsed[f] !== "string" || !parsed[f]);
  if (missing.length) throw new ConfigError(`config ${file} lacks ${missing.join(", ")}; enroll again to rewrite it`);
  if (parsed.labels !== undefined) {
    const problems = labelSetProblems(parsed.labels);
    if (problems.length) throw new ConfigError(`config ${file}: "labels" ${problems.map((p) => (p.key ? `"${p.key.slice(0, 70)}": ${p.message}` : p.message)).join("; ")}`);
  }
  return parsed as unknown as AgentConfig;
}

export async function requireConfig(file: string): Promise<AgentConfig> {
  const config = await readConfig(file);
  if (!config) throw new ConfigError(`not enrolled: no config at ${file}; run: infra-watch-agent enroll --server URL --token TOKEN`);
  return config;
}

function writeFailure(file: string, err: unknown): ConfigError {
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "read-only filesystem" : code === "ENOENT" ? "its directory cannot be created" : (err as Error).message;
  return new ConfigError(`cannot write config ${file}: ${reason} (run as root or pass --config PATH)`);
}

/** Fails early, before an enrollment token is spent, if the config could not be saved. */
export async function assertWritable(file: string): Promise<void> {
  const probe = `${file}.probe-${process.pid}`;
  try {
    await makeDir(path.dirname(file));
    const handle = await open(probe, "w", 0o600);
    await handle.close();
    await rm(probe, { force: true });
  } catch (err) {
    throw writeFailure(file, err);
  }
}

/** Atomic (temp file + rename) and 0600 from the first byte: the file holds the agent token. */
export async function writeConfig(file: string, config: AgentConfig): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await makeDir(path.dirname(file));
    const handle = await open(tmp, "w", 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(config, null, 2)}\n`);
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw writeFailure(file, err);
  }
}

export const newHostKey = () => randomBytes(32).toString("hex");
export const newMachineId = () => randomBytes(16).toString("hex");

/** Modification time, so a running agent notices a re-enrollment and picks up the new token. */
export async function configMtime(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.mtimeMs ?? 0;
}

/** The labels this run reports: `--label` flags when given, else the config file's, else none. */
export const hostLabels = (config: AgentConfig, flags: Labels | undefined): Labels => flags ?? config.labels ?? {};

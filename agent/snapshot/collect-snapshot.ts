import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Hardware, Package, Snapshot, SnapshotContainer } from "../../lib/protocol";
import { MAX_ENV_CHARS, MAX_ENV_KEYS, MAX_PACKAGES } from "../../lib/protocol/constants";
import { inRoot, isContainerMode, type HostPaths } from "../collect/host-paths";
import { readKernel, readOsName } from "../collect/host-facts";
import type { ContainerWatch } from "../collect/containers";
import { collectHardware, runSmartctl } from "../collect/hardware";
import { mergeEnvironment, parseEnvironmentFile } from "./environment";
import { parseApkInstalled, parseDpkgQuery, parsePacmanQuery, parseRpmQuery, sortPackages } from "./packages";
import { DEFAULT_SETTINGS, type CollectionSettings } from "../settings";
import { findCommand, run } from "./exec";
import { collectInventory } from "./inventory";
import { redactEnv } from "./redact";

/** Each manager that exists on the host, queried against the host's root (matters in a container). */
async function listPackages(paths: HostPaths, warn: (line: string) => void): Promise<Package[]> {
  const root = path.resolve(paths.root);
  const inContainer = isContainerMode(paths);
  const managers: Array<{ name: string; list: () => Promise<Package[] | undefined> }> = [
    {
      name: "dpkg",
      list: async () => {
        const cmd = await findCommand("dpkg-query");
        if (!cmd) return undefined;
        const args = ["-W", "-f=${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\n"];
        if (inContainer) args.unshift(`--admindir=${path.join(root, "var/lib/dpkg")}`);
        return parseDpkgQuery(await run(cmd, args));
      },
    },
    {
      name: "rpm",
      list: async () => {
        const cmd = await findCommand("rpm");
        if (!cmd) return undefined;
        const args = ["-qa", "--qf", "%{NAME}\t%|EPOCH?{%{EPOCH}:}|%{VERSION}-%{RELEASE}\t%{ARCH}\n"];
        if (inContainer) args.unshift("--root", root);
        return parseRpmQuery(await run(cmd, args));
      },
    },
    {
      name: "apk",
      list: async () => {
        const db = await readFile(inRoot(paths, "lib/apk/db/installed"), "utf8").catch(() => undefined);
        return db === undefined ? undefined : parseApkInstalled(db);
      },
    },
    {
      name: "pacman",
      list: async () => {
        const cmd = await findCommand("pacman");
        if (!cmd) return undefined;
        return parsePacmanQuery(await run(cmd, inContainer ? ["--root", root, "-Q"] : ["-Q"]));
      },
    },
  ];
  const lists = await Promise.all(
    managers.map((m) =>
      m.list().catch((err: Error) => {
        warn(`snapshot: listing ${m.name} packages failed: ${err.message.split("\n")[0]}`);
        return undefined;
      }),
    ),
  );
  return sortPackages(lists.flatMap((l) => l ?? [])).slice(0, MAX_PACKAGES);
}

/** Keys and values the server's schema would refuse are left out rather than failing the snapshot. */
function boundedEnv(env: Record<string, string>): Record<string, string> {
  const keys = Object.keys(env)
    .filter((k) => k.length >= 1 && k.length <= 256 && env[k]!.length <= 32 * 1024)
    .sort()
    .slice(0, MAX_ENV_KEYS);
  // Within the protocol's character budget too, keeping the first keys in sorted order.
  const out: Record<string, string> = {};
  let chars = 0;
  for (const k of keys) {
    chars += k.length + env[k]!.length;
    if (chars > MAX_ENV_CHARS) break;
    out[k] = env[k]!;
  }
  return out;
}

/**
 * The hardware section. smartctl needs root and the host's /dev: it is asked only by a root
 * agent on the host itself, not from a container.
 */
async function readHardware(paths: HostPaths, warn: (line: string) => void): Promise<Hardware | undefined> {
  const smartctl = !isContainerMode(paths) && process.getuid?.() === 0 ? await findCommand("smartctl") : undefined;
  return collectHardware(paths, smartctl ? { smart: runSmartctl(smartctl) } : {}).catch((err: Error) => {
    warn(`snapshot: reading the hardware inventory failed: ${err.message}`);
    return undefined;
  });
}

async function listContainers(watch: ContainerWatch | undefined, warn: (line: string) => void): Promise<SnapshotContainer[] | undefined> {
  if (!watch) return undefined;
  return watch.list().catch((err: Error) => {
    warn(`snapshot: listing containers on ${watch.socket} failed: ${err.message}`);
    return undefined;
  });
}

export interface SnapshotInput {
  paths: HostPaths;
  hostKey: string;
  processEnv: Record<string, string | undefined>;
  warn: (line: string) => void;
  /** What to watch and read beyond packages and env (agent/settings.ts); the defaults when absent. */
  settings?: CollectionSettings;
  /** The host's Engine API, when it has one: the snapshot lists its containers. */
  containers?: ContainerWatch;
}

export async function collectSnapshot({ paths, hostKey, processEnv, warn, settings = DEFAULT_SETTINGS, containers: watch }: SnapshotInput, now = new Date()): Promise<Snapshot> {
  const [osText, kernel, packages, envFile, inventory, hardware, containers] = await Promise.all([
    readOsName(paths),
    readKernel(paths),
    listPackages(paths, warn),
    readFile(inRoot(paths, "etc/environment"), "utf8").catch(() => ""),
    collectInventory(paths, settings, warn),
    readHardware(paths, warn),
    listContainers(watch, warn),
  ]);
  const env = boundedEnv(redactEnv(mergeEnvironment(parseEnvironmentFile(envFile), processEnv), hostKey));
  return { ts: now.toISOString(), ...(osText ? { os: osText } : {}), kernel, packages, env, ...inventory, ...(hardware ? { hardware } : {}), ...(containers ? { containers } : {}) };
}

import { readFile } from "node:fs/promises";
import type { InventorySections } from "../../lib/protocol";
import { MAX_JOBS } from "../../lib/protocol/constants";
import { parseGroup, parsePasswd } from "../collect/accounts";
import { inRoot, type HostPaths } from "../collect/host-paths";
import type { CollectionSettings } from "../settings";
import { collectCronJobs } from "./cron";
import { collectWatchedFiles } from "./files";
import { collectSysctl, readKernelCmdline } from "./kernel";
import { collectPorts } from "./ports";
import { collectSystemd } from "./services";

/**
 * Runs one collector; a failure (a missing file, a permission a non-root agent lacks, a tool
 * that misbehaves) leaves its section out with a warning instead of failing the snapshot.
 */
async function section<T>(name: string, warn: (line: string) => void, collect: () => Promise<T>): Promise<T | undefined> {
  try {
    return await collect();
  } catch (err) {
    warn(`snapshot: ${name} not collected: ${(err as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

/** The snapshot's v1.1 sections (lib/protocol/inventory.ts), from the host's /proc, /etc and systemd. */
export async function collectInventory(paths: HostPaths, settings: CollectionSettings, warn: (line: string) => void): Promise<InventorySections> {
  // /etc/shadow and /etc/gshadow are never opened: only names, ids, homes, shells and members leave the host.
  const [passwd, group] = await Promise.all([readFile(inRoot(paths, "etc/passwd"), "utf8").catch(() => undefined), readFile(inRoot(paths, "etc/group"), "utf8").catch(() => undefined)]);
  const users = passwd === undefined ? undefined : parsePasswd(passwd);
  const groups = group === undefined ? undefined : parseGroup(group);
  const userNames = new Map((users ?? []).map((u) => [u.uid, u.name]));
  const groupNames = new Map((groups ?? []).map((g) => [g.gid, g.name]));
  const owners = { user: (uid: number) => userNames.get(uid) ?? String(uid), group: (gid: number) => groupNames.get(gid) ?? String(gid) };

  const [ports, systemd, cron, files, kernelCmdline, sysctl] = await Promise.all([
    section("ports", warn, () => collectPorts(paths)),
    section("services", warn, () => collectSystemd(paths, warn)),
    section("cron jobs", warn, () => collectCronJobs(paths)),
    section("watched files", warn, () => collectWatchedFiles(paths, settings.watchFiles, owners)),
    section("kernel command line", warn, () => readKernelCmdline(paths)),
    section("sysctl", warn, () => collectSysctl(paths, settings.sysctlKeys)),
  ]);
  const jobs = cron || systemd ? [...(cron ?? []), ...(systemd?.timers ?? [])].slice(0, MAX_JOBS) : undefined;
  return {
    ...(ports ? { ports } : {}),
    ...(users ? { users } : {}),
    ...(groups ? { groups } : {}),
    ...(systemd ? { services: systemd.services, ...(systemd.servicesUnavailable ? { servicesUnavailable: systemd.servicesUnavailable } : {}) } : {}),
    ...(jobs ? { jobs } : {}),
    ...(files ? { files } : {}),
    ...(kernelCmdline !== undefined ? { kernelCmdline } : {}),
    ...(sysctl ? { sysctl } : {}),
  };
}

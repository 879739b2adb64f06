import { readFile } from "node:fs/promises";
import os from "node:os";
import type { HostFacts } from "../../lib/protocol";
import { inProc, inRoot, isContainerMode, type HostPaths } from "./host-paths";
import { defaultRouteInterface, primaryIp } from "./network";
import { osName, parseOsRelease } from "./system";

const readText = (file: string) => readFile(file, "utf8").then((t) => t.trim(), () => "");

export async function readOsName(paths: HostPaths): Promise<string | undefined> {
  const release = (await readText(inRoot(paths, "etc/os-release"))) || (await readText(inRoot(paths, "usr/lib/os-release")));
  return osName(parseOsRelease(release));
}

export async function readKernel(paths: HostPaths): Promise<string> {
  return (await readText(inProc(paths, "sys/kernel/osrelease"))) || os.release();
}

/** In a container the UTS namespace may be the container's; the host's /etc/hostname is the truth. */
async function readHostname(paths: HostPaths): Promise<string> {
  if (isContainerMode(paths)) {
    const name = await readText(inRoot(paths, "etc/hostname"));
    if (name) return name;
  }
  return os.hostname();
}

/** `intervalS`: how often this agent reports, so the server can tell a late host from a slow one. */
export async function collectHostFacts(paths: HostPaths, agentVersion: string, intervalS?: number): Promise<HostFacts> {
  const [hostname, osText, kernel, route] = await Promise.all([
    readHostname(paths),
    readOsName(paths),
    readKernel(paths),
    readText(inProc(paths, "net/route")),
  ]);
  const ip = primaryIp(defaultRouteInterface(route), os.networkInterfaces());
  return {
    hostname: hostname.slice(0, 253),
    ...(ip ? { ip } : {}),
    ...(osText ? { os: osText.slice(0, 256) } : {}),
    kernel: kernel.slice(0, 256),
    arch: os.machine(),
    agentVersion,
    ...(intervalS ? { intervalS: Math.min(86_400, Math.max(1, Math.round(intervalS))) } : {}),
  };
}

/** /etc/machine-id identifies the host across re-enrollment; undefined when the OS has none. */
export async function readMachineId(paths: HostPaths): Promise<string | undefined> {
  for (const file of ["etc/machine-id", "var/lib/dbus/machine-id"]) {
    const id = await readText(inRoot(paths, file));
    if (/^[0-9a-f]{16,128}$/i.test(id)) return id;
  }
  return undefined;
}

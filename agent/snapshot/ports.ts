import { readdirSync, readlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { ListeningPort } from "../../lib/protocol";
import { MAX_PORTS } from "../../lib/protocol/constants";
import { inProc, isContainerMode, type HostPaths } from "../collect/host-paths";
import { MAX_SCANNED_PROCESSES, parseProcessStat } from "../collect/processes";

type Proto = ListeningPort["proto"];

export interface Socket {
  proto: Proto;
  address: string;
  port: number;
  inode: string;
}

/** TCP_LISTEN; an unconnected UDP socket shows TCP_CLOSE (07) with a zero remote address. */
const TCP_LISTEN = "0A";
const UDP_UNCONNECTED = "07";
/** Lines read per /proc/net file at most (a host under a SYN flood lists every half-open socket). */
export const MAX_SOCKET_LINES = 100_000;
/** fd links read at most while looking for sockets' owners, over all processes. */
export const MAX_FD_LINKS = 200_000;

/** `0100007F` -> 127.0.0.1: the kernel prints the address as a host-order 32-bit word. */
function ipv4(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return undefined;
  const bytes = [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return bytes.join(".");
}

/** Four host-order 32-bit words, each printed like an IPv4 address; formatted the short way (`::1`, `::ffff:10.0.0.1`). */
function ipv6(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return undefined;
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) for (const i of [6, 4, 2, 0]) bytes.push(parseInt(hex.slice(w * 8 + i, w * 8 + i + 2), 16));
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[i * 2]! << 8) | bytes[i * 2 + 1]!);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${bytes.slice(12).join(".")}`;
  // The longest run of two or more zero groups becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (best < 0) return hexes.join(":");
  return `${hexes.slice(0, best).join(":")}::${hexes.slice(best + bestLen).join(":")}`;
}

/**
 * One of /proc/net/{tcp,tcp6,udp,udp6}: the listening TCP sockets and the bound, unconnected UDP
 * ones (the columns: sl local_address rem_address st ... uid timeout inode).
 */
export function parseProcNet(text: string, proto: Proto): Socket[] {
  const v6 = proto.endsWith("6");
  const udp = proto.startsWith("udp");
  const out: Socket[] = [];
  const lines = text.split("\n");
  for (let i = 1; i < lines.length && i <= MAX_SOCKET_LINES; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [local, remote, state, inode] = [f[1]!, f[2]!, f[3]!, f[9]!];
    if (udp ? state !== UDP_UNCONNECTED || !/^0+:0000$/.test(remote) : state !== TCP_LISTEN) continue;
    const [addrHex = "", portHex = ""] = local.split(":");
    const address = v6 ? ipv6(addrHex) : ipv4(addrHex);
    const port = /^[0-9A-Fa-f]{4}$/.test(portHex) ? parseInt(portHex, 16) : NaN;
    if (address === undefined || !Number.isInteger(port) || !/^\d+$/.test(inode)) continue;
    out.push({ proto, address, port, inode });
  }
  return out;
}

const PROTOS: Proto[] = ["tcp", "tcp6", "udp", "udp6"];

/**
 * Which process owns each socket inode: the `socket:[inode]` links in /proc/[pid]/fd. Stops
 * as soon as every inode is found, and after MAX_FD_LINKS links; a process whose fds the agent
 * may not read (another user's, without root) is skipped, leaving its sockets without a name.
 */
export async function socketOwners(paths: HostPaths, inodes: ReadonlySet<string>): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  if (inodes.size === 0) return owners;
  // Synchronous, like the process scan: a promise per fd link (a few thousand on a busy host)
  // cost megabytes of heap that the agent then keeps (BENCHMARKS.md, "Agent").
  const list = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return undefined;
    }
  };
  const link = (file: string) => {
    try {
      return readlinkSync(file);
    } catch {
      return "";
    }
  };
  let links = 0;
  let scanned = 0;
  for (const pid of list(paths.proc) ?? []) {
    if (!/^\d+$/.test(pid)) continue;
    if (++scanned > MAX_SCANNED_PROCESSES || links >= MAX_FD_LINKS || owners.size === inodes.size) break;
    const fdDir = inProc(paths, `${pid}/fd`);
    const fds = list(fdDir);
    if (!fds) continue;
    let name: string | undefined;
    for (const fd of fds) {
      if (++links > MAX_FD_LINKS) break;
      const target = link(`${fdDir}/${fd}`);
      if (!target.startsWith("socket:[")) continue;
      const inode = target.slice(8, -1);
      if (!inodes.has(inode) || owners.has(inode)) continue;
      name ??= parseProcessStat(await readFile(inProc(paths, `${pid}/stat`), "utf8").catch(() => ""))?.name;
      if (name) owners.set(inode, name);
    }
  }
  return owners;
}

/** Several sockets on one address and port (SO_REUSEPORT workers) are one entry; sorted for a stable diff. */
export function listeningPorts(sockets: readonly Socket[], owners: ReadonlyMap<string, string>): ListeningPort[] {
  const byKey = new Map<string, ListeningPort>();
  for (const s of sockets) {
    const key = `${s.proto} ${s.address} ${s.port}`;
    const process = owners.get(s.inode);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { proto: s.proto, address: s.address, port: s.port, ...(process ? { process } : {}) });
    else if (!seen.process && process) seen.process = process;
  }
  return [...byKey.values()]
    .sort((a, b) => a.proto.localeCompare(b.proto) || a.port - b.port || a.address.localeCompare(b.address))
    .slice(0, MAX_PORTS);
}

/**
 * /proc/net is the reading process's network namespace: in a container the host's sockets are
 * those of the host's PID 1.
 */
export async function collectPorts(paths: HostPaths): Promise<ListeningPort[]> {
  const dir = isContainerMode(paths) ? "1/net" : "net";
  const lists = await Promise.all(PROTOS.map(async (proto) => parseProcNet(await readFile(inProc(paths, `${dir}/${proto}`), "utf8").catch(() => ""), proto)));
  const sockets = lists.flat();
  return listeningPorts(sockets, await socketOwners(paths, new Set(sockets.map((s) => s.inode))));
}

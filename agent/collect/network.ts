import type { NetworkInterfaceInfo } from "node:os";

export interface NetCounters {
  rxBytes: number;
  txBytes: number;
}

/** Byte counters per interface from /proc/net/dev (the first two lines are headers). */
export function parseNetDev(text: string): Map<string, NetCounters> {
  const counters = new Map<string, NetCounters>();
  for (const line of text.split("\n").slice(2)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    counters.set(line.slice(0, colon).trim(), { rxBytes: fields[0] ?? 0, txBytes: fields[8] ?? 0 });
  }
  return counters;
}

/**
 * Bytes per second over all interfaces but loopback. An interface whose counter went down
 * (wrapped, or removed and re-created) contributes nothing for that interval.
 */
export function networkRates(prev: Map<string, NetCounters>, cur: Map<string, NetCounters>, seconds: number): { netRxBps: number; netTxBps: number } {
  let rx = 0;
  let tx = 0;
  if (seconds > 0) {
    for (const [name, c] of cur) {
      const p = prev.get(name);
      if (name === "lo" || !p) continue;
      if (c.rxBytes >= p.rxBytes) rx += c.rxBytes - p.rxBytes;
      if (c.txBytes >= p.txBytes) tx += c.txBytes - p.txBytes;
    }
  }
  return { netRxBps: seconds > 0 ? Math.round(rx / seconds) : 0, netTxBps: seconds > 0 ? Math.round(tx / seconds) : 0 };
}

/** The interface of the default IPv4 route with the lowest metric, from /proc/net/route. */
export function defaultRouteInterface(text: string): string | undefined {
  let best: { iface: string; metric: number } | undefined;
  for (const line of text.split("\n").slice(1)) {
    const [iface, destination, , flags, , , metric, mask] = line.trim().split(/\s+/);
    const up = (parseInt(flags ?? "0", 16) & 0x1) !== 0;
    if (!iface || destination !== "00000000" || mask !== "00000000" || !up) continue;
    const m = Number(metric);
    if (!best || m < best.metric) best = { iface, metric: m };
  }
  return best?.iface;
}

/** The address of the default-route interface, else the first external IPv4, else IPv6. */
export function primaryIp(defaultIface: string | undefined, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | undefined {
  const external = (list: NetworkInterfaceInfo[] | undefined) => (list ?? []).filter((a) => !a.internal);
  const v4 = (list: NetworkInterfaceInfo[]) => list.find((a) => a.family === "IPv4");
  const v6 = (list: NetworkInterfaceInfo[]) => list.find((a) => a.family === "IPv6" && !a.address.startsWith("fe80"));
  if (defaultIface) {
    const own = external(interfaces[defaultIface]);
    const address = v4(own) ?? v6(own);
    if (address) return address.address;
  }
  const all = Object.values(interfaces).flatMap(external);
  return (v4(all) ?? v6(all))?.address;
}

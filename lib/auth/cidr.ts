/**
 * IP addresses and CIDR ranges, for the trusted-proxy list. Node's BlockList does the matching
 * (no RegExp, no hand-rolled bit arithmetic); this file only parses and normalises.
 */
import net from "node:net";

export type Cidr = { address: string; prefix: number; family: "ipv4" | "ipv6" };

/** `::ffff:192.0.2.1` (how a dual-stack socket reports IPv4 peers) -> `192.0.2.1`. */
export function normalizeAddress(value: string): string | null {
  let v = value.trim();
  if (v.startsWith("[") && v.endsWith("]")) v = v.slice(1, -1);
  const zone = v.indexOf("%");
  if (zone >= 0) v = v.slice(0, zone);
  const lower = v.toLowerCase();
  if (lower.startsWith("::ffff:") && net.isIPv4(lower.slice(7))) return lower.slice(7);
  if (net.isIPv4(v)) return v;
  if (net.isIPv6(v)) return lower;
  return null;
}

export function parseCidr(value: string): Cidr | null {
  const slash = value.indexOf("/");
  const address = normalizeAddress(slash < 0 ? value : value.slice(0, slash));
  if (!address) return null;
  const family = net.isIPv4(address) ? "ipv4" : "ipv6";
  const max = family === "ipv4" ? 32 : 128;
  if (slash < 0) return { address, prefix: max, family };
  const text = value.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(text)) return null;
  const prefix = Number(text);
  return prefix <= max ? { address, prefix, family } : null;
}

/** A membership test for a list of ranges, built once. */
export function cidrMatcher(cidrs: readonly Cidr[]): (address: string) => boolean {
  if (cidrs.length === 0) return () => false;
  const list = new net.BlockList();
  for (const c of cidrs) list.addSubnet(c.address, c.prefix, c.family);
  return (address) => {
    const a = normalizeAddress(address);
    return a !== null && list.check(a, net.isIPv4(a) ? "ipv4" : "ipv6");
  };
}

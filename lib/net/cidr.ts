/**
 * IP addresses and CIDR ranges: which addresses notification channels may reach
 * (IW_NOTIFY_ALLOW_CIDRS) and which peers are trusted proxies (IW_TRUSTED_PROXIES).
 * Pure and RegExp-free: addresses come from DNS answers, headers and settings, and all are
 * parsed by hand into integers (32 bits for IPv4, 128 for IPv6) so a range test is a mask.
 */
import net from "node:net";

export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

export interface Cidr {
  version: 4 | 6;
  base: bigint;
  bits: number;
}

const isDigits = (s: string): boolean => s.length > 0 && [...s].every((c) => c >= "0" && c <= "9");
const isHex = (s: string): boolean => s.length > 0 && [...s].every((c) => (c >= "0" && c <= "9") || (c >= "a" && c <= "f") || (c >= "A" && c <= "F"));

function parseIpv4(s: string): bigint | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    // Dotted decimal only: "010" or "0x7f" mean different things to different parsers.
    if (!isDigits(p) || p.length > 3 || (p.length > 1 && p[0] === "0")) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(input: string): bigint | null {
  const s = input.includes("%") ? input.slice(0, input.indexOf("%")) : input;
  if (s.length === 0 || s.length > 45) return null;
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string): string[] | null => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const words: number[][] = [[], []];
  for (const [i, list] of [head, tail].entries()) {
    for (const [j, g] of list.entries()) {
      const last = i === (halves.length === 2 ? 1 : 0) && j === list.length - 1;
      if (last && g.includes(".")) {
        const v4 = parseIpv4(g);
        if (v4 === null) return null;
        words[i]!.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!isHex(g) || g.length > 4) return null;
        words[i]!.push(parseInt(g, 16));
      }
    }
  }
  const count = words[0]!.length + words[1]!.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  const all = [...words[0]!, ...Array<number>(8 - count).fill(0), ...words[1]!];
  return all.reduce((v, w) => (v << 16n) | BigInt(w), 0n);
}

/** "192.0.2.1", "2001:db8::1", "[::1]", "::ffff:10.0.0.1"; null for anything else (names, octal, hex). */
export function parseIp(input: string): IpAddress | null {
  const s = input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input;
  if (s.includes(":")) {
    const v = parseIpv6(s);
    return v === null ? null : { version: 6, value: v };
  }
  const v = parseIpv4(s);
  return v === null ? null : { version: 4, value: v };
}

const width = (version: 4 | 6): number => (version === 4 ? 32 : 128);
const mask = (version: 4 | 6, bits: number): bigint => ((1n << BigInt(bits)) - 1n) << BigInt(width(version) - bits);

/** "10.0.0.0/8", "fd00::/8", or a bare address (a /32 or /128). Host bits must be zero. */
export function parseCidr(input: string): Cidr | null {
  const s = input.trim();
  const slash = s.indexOf("/");
  const ip = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (!ip) return null;
  const max = width(ip.version);
  const bitsText = slash < 0 ? String(max) : s.slice(slash + 1);
  if (!isDigits(bitsText) || bitsText.length > 3) return null;
  const bits = Number(bitsText);
  if (bits > max) return null;
  if ((ip.value & ~mask(ip.version, bits) & ((1n << BigInt(max)) - 1n)) !== 0n) return null;
  return { version: ip.version, base: ip.value, bits };
}

/** A comma-separated list, as in IW_NOTIFY_ALLOW_CIDRS; the entries that do not parse are named. */
export function parseCidrList(input: string | undefined): { cidrs: Cidr[]; invalid: string[] } {
  const cidrs: Cidr[] = [];
  const invalid: string[] = [];
  for (const entry of (input ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const c = parseCidr(entry);
    if (c) cidrs.push(c);
    else invalid.push(entry);
  }
  return { cidrs, invalid };
}

export const cidrContains = (c: Cidr, ip: IpAddress): boolean => c.version === ip.version && (ip.value & mask(c.version, c.bits)) === c.base;

const must = (s: string): Cidr => parseCidr(s)!;

/** Where a notification must not go unless an administrator allows it by name. */
export const BLOCKED_RANGES: readonly (readonly [Cidr, string])[] = [
  [must("0.0.0.0/8"), "unspecified"],
  [must("10.0.0.0/8"), "private"],
  [must("100.64.0.0/10"), "carrier-grade NAT"],
  [must("127.0.0.0/8"), "loopback"],
  [must("169.254.0.0/16"), "link-local"],
  [must("172.16.0.0/12"), "private"],
  [must("192.0.0.0/24"), "IETF protocol assignments"],
  [must("192.168.0.0/16"), "private"],
  [must("198.18.0.0/15"), "benchmarking"],
  [must("224.0.0.0/4"), "multicast"],
  [must("240.0.0.0/4"), "reserved"],
  [must("::/128"), "unspecified"],
  [must("::1/128"), "loopback"],
  [must("fe80::/10"), "link-local"],
  [must("fec0::/10"), "site-local"],
  [must("fc00::/7"), "unique-local"],
  [must("ff00::/8"), "multicast"],
];

/** IPv6 forms that carry an IPv4 address a host or gateway would reach: mapped, compatible, NAT64. */
const EMBEDS_V4 = [must("::ffff:0.0.0.0/96"), must("::/96"), must("64:ff9b::/96")];

/** The IPv4 address an IPv6 one stands for, if any (so `::ffff:127.0.0.1` is loopback). */
export function embeddedIpv4(ip: IpAddress): IpAddress | null {
  if (ip.version !== 6 || ip.value <= 1n) return null;
  return EMBEDS_V4.some((c) => cidrContains(c, ip)) ? { version: 4, value: ip.value & 0xffffffffn } : null;
}

/**
 * Why a channel may not connect to `ip` ("loopback", "private", …), or null when it may:
 * either it is in none of the blocked ranges, or `allow` names it.
 */
export function refusedRange(ip: IpAddress, allow: readonly Cidr[] = []): string | null {
  const candidates = [ip, embeddedIpv4(ip)].filter((x): x is IpAddress => x !== null);
  if (candidates.some((c) => allow.some((a) => cidrContains(a, c)))) return null;
  for (const c of candidates) {
    const hit = BLOCKED_RANGES.find(([range]) => cidrContains(range, c));
    if (hit) return hit[1];
  }
  return null;
}

/**
 * The canonical text of an address, or null: brackets and zone dropped, IPv6 lower-cased,
 * `::ffff:192.0.2.1` (how a dual-stack socket reports IPv4 peers) as `192.0.2.1`.
 */
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

/** A membership test for a list of ranges (addresses as text, normalised first). */
export function cidrMatcher(cidrs: readonly Cidr[]): (address: string) => boolean {
  if (cidrs.length === 0) return () => false;
  return (address) => {
    const a = normalizeAddress(address);
    const ip = a === null ? null : parseIp(a);
    return ip !== null && cidrs.some((c) => cidrContains(c, ip));
  };
}

/**
 * Where a channel may connect, decided at send time: the host is resolved here, every answer
 * is checked against the blocked ranges (see cidr.ts) and the allow-list, and the caller
 * connects to the vetted address itself, so no second lookup can answer differently (DNS
 * rebinding).
 */
import dns from "node:dns";
import { parseIp, refusedRange, type Cidr } from "@/lib/net/cidr";
import { DeliveryError } from "./types";

export interface VettedAddress {
  address: string;
  family: 4 | 6;
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/** The first address of `host` the policy lets through; a DeliveryError when there is none. */
export async function vetAddress(host: string, allow: readonly Cidr[], lookup: Lookup = systemLookup): Promise<VettedAddress> {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  let answers: { address: string; family: number }[];
  if (parseIp(bare)) answers = [{ address: bare, family: bare.includes(":") ? 6 : 4 }];
  else {
    try {
      answers = await lookup(bare);
    } catch (err) {
      throw new DeliveryError("dns lookup failed", { retryable: true, cause: err });
    }
  }
  let refused: string | null = null;
  for (const a of answers) {
    const ip = parseIp(a.address);
    if (!ip) continue;
    const why = refusedRange(ip, allow);
    if (why === null) return { address: a.address, family: ip.version };
    refused ??= why;
  }
  // Permanent: retrying will not make a loopback address public. IW_NOTIFY_ALLOW_CIDRS can.
  throw new DeliveryError(`address not allowed (${refused ?? "no address"})`, { retryable: false });
}

/**
 * The save-time half of the check, for a clear 400 instead of a delivery that fails later: a
 * channel whose URL or SMTP host is itself a refused address. Names are resolved at send time
 * only (what they resolve to today says nothing about tomorrow).
 */
export function literalAddressIssue(config: { kind: string; url?: string; host?: string }, allow: readonly Cidr[]): { path: string; message: string } | null {
  let host: string;
  let path: string;
  if (config.kind === "email") {
    host = config.host ?? "";
    path = "host";
  } else {
    try {
      host = new URL(config.url ?? "").hostname;
    } catch {
      return null;
    }
    path = "url";
  }
  const ip = parseIp(host);
  const why = ip ? refusedRange(ip, allow) : null;
  return why ? { path, message: `address not allowed (${why}); IW_NOTIFY_ALLOW_CIDRS can allow it` } : null;
}

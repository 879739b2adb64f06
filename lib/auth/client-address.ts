/**
 * The client's address for sign-in limits. Next.js route handlers do not see the socket, and
 * Next only fills X-Forwarded-For from it when the client did not send one, so that header is
 * whatever the client says. Instead a hook on the HTTP server (installed from instrumentation,
 * in the server process) writes the socket's peer address into PEER_HEADER on every request,
 * replacing anything a client sent under that name. Forwarded headers are believed only when
 * that peer is a configured trusted proxy, and then only up to the rightmost untrusted hop.
 */
import http from "node:http";
import https from "node:https";
import type { IncomingMessage } from "node:http";
import { cidrMatcher, normalizeAddress, type Cidr } from "@/lib/net/cidr";

export const PEER_HEADER = "x-infra-watch-peer";
/** At most this many X-Forwarded-For hops are looked at (the header is the client's to lengthen). */
const MAX_HOPS = 16;
const HOOK = Symbol.for("infra-watch.peer-address-hook");
type HookHolder = { [HOOK]?: boolean };

export function installPeerAddressHook() {
  const holder = globalThis as HookHolder;
  if (holder[HOOK]) return;
  for (const proto of [http.Server.prototype, https.Server.prototype] as { emit: (event: string | symbol, ...args: unknown[]) => boolean }[]) {
    const original = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const req = args[0] as IncomingMessage;
        req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "";
      }
      return original.call(this, event, ...args);
    };
  }
  holder[HOOK] = true;
}

export const peerAddressHookInstalled = () => (globalThis as HookHolder)[HOOK] === true;

/**
 * Walks X-Forwarded-For from the right: each hop appended by a trusted proxy is skipped; the
 * first address not trusted is the client. A malformed hop ends the walk at the last proxy.
 */
export function resolveClientAddress(peer: string, forwardedFor: string | null, isTrusted: (address: string) => boolean): string {
  if (!forwardedFor || !isTrusted(peer)) return peer;
  const hops = forwardedFor.split(",").slice(-MAX_HOPS);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]!);
    if (!hop) return client;
    client = hop;
    if (!isTrusted(hop)) return hop;
  }
  return client;
}

const matchers = new WeakMap<readonly Cidr[], (address: string) => boolean>();

/** The client's address, or "unknown" when the server hook is not in place (no peer to go by). */
let warned = false;

function trustedMatcher(trustedProxies: readonly Cidr[]) {
  let isTrusted = matchers.get(trustedProxies);
  if (!isTrusted) matchers.set(trustedProxies, (isTrusted = cidrMatcher(trustedProxies)));
  return isTrusted;
}

/** Whether the request came straight from a configured proxy, whose X-Forwarded-* headers count. */
export function fromTrustedProxy(req: Request, trustedProxies: readonly Cidr[]): boolean {
  if (!peerAddressHookInstalled()) return false;
  const peer = normalizeAddress(req.headers.get(PEER_HEADER) ?? "");
  return peer !== null && trustedMatcher(trustedProxies)(peer);
}

export function clientAddress(req: Request, trustedProxies: readonly Cidr[]): string {
  if (!peerAddressHookInstalled()) {
    if (!warned) console.warn("[infra-watch] the peer-address hook is not installed (instrumentation did not run): sign-in limits cannot tell clients apart");
    warned = true;
    return "unknown";
  }
  const peer = normalizeAddress(req.headers.get(PEER_HEADER) ?? "");
  if (!peer) return "unknown";
  return resolveClientAddress(peer, req.headers.get("x-forwarded-for"), trustedMatcher(trustedProxies));
}

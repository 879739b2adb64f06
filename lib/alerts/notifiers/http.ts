/**
 * One POST with a deadline, classified into the retryable and the hopeless. Sent with
 * node:http(s) to the address `vetAddress` approved (its `lookup` hands the socket that
 * address, TLS still verifies the certificate for the URL's host name), never following a
 * redirect, and reading nothing of the answer but its status: a reply body is neither kept
 * nor shown (a channel pointed at an internal service must not become a way to read it).
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { vetAddress, type Lookup } from "./address";
import type { Cidr } from "@/lib/net/cidr";
import { DeliveryError, type SendReceipt } from "./types";

export const DEFAULT_TIMEOUT_MS = 10_000;

/** 408 and 429 are the receiver asking for later; other 4xx will not change on a retry. */
export const isRetryableStatus = (status: number): boolean => status >= 500 || status === 408 || status === 429;

export interface EgressOptions {
  /** Private or loopback ranges this server's channels may reach (IW_NOTIFY_ALLOW_CIDRS). */
  allow?: readonly Cidr[];
  /** Name resolution; the system resolver unless a test says otherwise. */
  lookup?: Lookup;
}

/** A short, fixed class for a failed connection; what the peer said is never part of it. */
export function networkErrorClass(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
    case "EPIPE":
      return "connection reset";
    case "ETIMEDOUT":
      return "timeout";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "unreachable";
    default:
      return typeof code === "string" && (code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code.includes("CERT")) ? "tls error" : "request failed";
  }
}

/**
 * Rejects with a retryable timeout once `ms` have passed, whatever `work` is doing (a slow DNS
 * answer, a peer that drips bytes). The outbox relies on it: a send must end well within the
 * claim's lease, or another instance could claim and send the same row meanwhile.
 */
export async function withDeadline<T>(ms: number, work: Promise<T>, onTimeout: () => void = () => {}): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new DeliveryError(`no answer within ${ms} ms`, { retryable: true }));
    }, ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number, egress: EgressOptions = {}): Promise<SendReceipt> {
  const target = new URL(url);
  const started = performance.now();
  const { address, family } = await withDeadline(timeoutMs, vetAddress(target.hostname, egress.allow ?? [], egress.lookup));
  const remainingMs = Math.max(1, Math.round(timeoutMs - (performance.now() - started)));
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const client = target.protocol === "https:" ? https : http;
  const payload = Buffer.from(body, "utf8");
  return new Promise<SendReceipt>((resolve, reject) => {
    let settled = false;
    const fail = (e: DeliveryError) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      reject(e);
    };
    const req = client.request(
      {
        method: "POST",
        protocol: target.protocol,
        hostname: target.hostname.startsWith("[") ? target.hostname.slice(1, -1) : target.hostname,
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        headers: { "content-type": "application/json", "content-length": String(payload.length), "user-agent": "Infra-Watch", ...headers },
        lookup: pinned,
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // Drained, not read: only the status matters.
        res.resume();
        res.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          // A redirect is not followed: a moved endpoint is a configuration error, and following
          // one would let a public URL send the server to an internal address.
          if (status >= 200 && status < 300) resolve({ status });
          else reject(new DeliveryError(`HTTP ${status}`, { status, retryable: isRetryableStatus(status) }));
        });
        res.on("error", (err) => fail(new DeliveryError(networkErrorClass(err), { retryable: true, cause: err })));
      },
    );
    const deadline = setTimeout(() => fail(new DeliveryError(`no answer within ${timeoutMs} ms`, { retryable: true })), remainingMs);
    req.on("error", (err) => fail(new DeliveryError(networkErrorClass(err), { retryable: true, cause: err })));
    req.end(payload);
  });
}

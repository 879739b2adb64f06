/**
 * A real HTTP server on 127.0.0.1 that records every request, standing in for a webhook or
 * Slack endpoint. It can answer with a fixed status, a sequence of statuses (to exercise
 * retries), or hang for a while (to exercise timeouts).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body, exactly as sent: what an HMAC signature covers. */
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface HttpReceiverOptions {
  /** Status for every request (default 200), or one per request in order, the last repeating. */
  status?: number | number[];
  /** Wait this long before answering. */
  delayMs?: number;
  /** Response body; default "ok" (what Slack answers). */
  responseBody?: string;
}

export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves once at least `count` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startHttpReceiver(opts: HttpReceiverOptions = {}): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: (() => void)[] = [];
  const statuses = Array.isArray(opts.status) ? opts.status : [opts.status ?? 200];
  let seen = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, json });
      const status = statuses[Math.min(seen++, statuses.length - 1)]!;
      for (const w of waiters.splice(0)) w();
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "text/plain" });
        res.end(opts.responseBody ?? (status < 300 ? "ok" : "error"));
      };
      if (opts.delayMs) setTimeout(answer, opts.delayMs);
      else answer();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    waitForRequests(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`http receiver: ${requests.length} of ${count} requests after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (requests.length >= count) {
            clearTimeout(timer);
            resolve(requests);
          } else waiters.push(check);
        };
        check();
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

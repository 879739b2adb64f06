import http from "node:http";
import https from "node:https";

export interface HttpResponse {
  status: number;
  body: unknown;
}

/** The server could not be reached at all (as opposed to answering with an error status). */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Keep-alive saves a TCP (and TLS) handshake per sample at short intervals. Idle sockets are
 * closed after 4 s, before Node servers' default 5 s keep-alive timeout closes them from the
 * other side, so a request is not sent into a socket the server is just closing.
 */
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 2, timeout: 4000 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 2, timeout: 4000 }),
};

function describe(err: NodeJS.ErrnoException, url: URL): string {
  switch (err.code) {
    case "ECONNREFUSED":
      return `connection refused by ${url.host}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve host ${url.hostname}`;
    case "ETIMEDOUT":
      return `timed out connecting to ${url.host}`;
    case "ECONNRESET":
      return `connection to ${url.host} was reset`;
    default:
      return `${err.code ? `${err.code}: ` : ""}${err.message}`;
  }
}

interface PostOptions {
  token?: string;
  timeoutMs?: number;
}

export const postJson = (url: URL, payload: unknown, options?: PostOptions) => postJsonText(url, JSON.stringify(payload), options);

/**
 * POSTs a JSON text and reads the JSON answer. Plain node:http rather than fetch: it loads
 * no extra runtime (undici), which keeps the agent's resident memory small.
 */
export function postJsonText(url: URL, json: string, { token, timeoutMs = 30_000 }: PostOptions = {}): Promise<HttpResponse> {
  const body = Buffer.from(json);
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: "POST",
        agent: agents[url.protocol as keyof typeof agents],
        headers: {
          "content-type": "application/json",
          "content-length": body.length,
          "user-agent": "infra-watch-agent",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err) => reject(new NetworkError(describe(err, url), (err as NodeJS.ErrnoException).code)));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON (a proxy's error page): keep the text for the log */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("request timed out"), { code: "ETIMEDOUT" })));
    req.on("error", (err: NodeJS.ErrnoException) => reject(new NetworkError(describe(err, url), err.code)));
    req.end(body);
  });
}

/** The `error` of a contract error body, else a short rendering of whatever came back. */
export function errorText(body: unknown): string {
  if (body && typeof body === "object" && "error" in body && typeof body.error === "string") return body.error;
  return typeof body === "string" ? body.slice(0, 200) : "";
}

export function closeConnections() {
  agents["http:"].destroy();
  agents["https:"].destroy();
}

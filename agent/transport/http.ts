import http from "node:http";
import https from "node:https";
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from "../../lib/protocol/constants";

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
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
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

export interface GetOptions {
  timeoutMs?: number;
  /** At most this many bytes of body, else the request fails (a hostile or broken server). */
  maxBytes: number;
  /** Receives the body chunk by chunk instead of collecting it (downloads). */
  onData?: (chunk: Buffer) => void | Promise<void>;
  /** The body is gzip (a .gz artifact): inflate it (maxBytes then counts inflated bytes). */
  gzip?: boolean;
}

/** A GET with the agent's headers; the body as text unless `onData` takes it. */
export function get(url: URL, { timeoutMs = 30_000, maxBytes, onData, gzip = false }: GetOptions): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(new NetworkError(describe(err, url), err.code));
    const req = transport.request(
      url,
      {
        method: "GET",
        agent: agents[url.protocol as keyof typeof agents],
        headers: { "user-agent": "infra-watch-agent", [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        let writing = Promise.resolve();
        // Loaded only for a compressed download: zlib is otherwise never needed.
        const body: NodeJS.ReadableStream & { pause(): unknown; resume(): unknown } =
          gzip && res.statusCode === 200 ? res.pipe(process.getBuiltinModule("node:zlib").createGunzip()) : res;
        if (body !== res) body.on("error", (err: NodeJS.ErrnoException) => req.destroy(err));
        body.on("data", (c: Buffer) => {
          bytes += c.length;
          if (bytes > maxBytes) {
            req.destroy(Object.assign(new Error(`response larger than ${maxBytes} bytes`), { code: "ETOOBIG" }));
            return;
          }
          if (!onData || res.statusCode !== 200) chunks.push(c);
          else {
            body.pause();
            writing = writing.then(() => onData(c)).then(() => void body.resume(), (err: Error) => void req.destroy(err));
          }
        });
        res.on("error", fail);
        body.on("end", () => {
          writing.then(() => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headers: res.headers }), fail);
        });
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("request timed out"), { code: "ETIMEDOUT" })));
    req.on("error", fail);
    req.end();
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

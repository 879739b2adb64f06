/**
 * A real SMTP server on 127.0.0.1 that accepts every message and keeps it, so email
 * notifications are tested over the wire with nodemailer rather than against a mock.
 * Plain text only (no STARTTLS), enough of RFC 5321 for a well-behaved client: EHLO/HELO,
 * AUTH PLAIN/LOGIN (any credentials, recorded), MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT.
 */
import net from "node:net";

export interface SinkMessage {
  from: string;
  to: string[];
  /** The message as sent, dot-stuffing undone, CRLF line ends. */
  raw: string;
  /** Header names lower-cased; folded lines joined. */
  headers: Record<string, string>;
  subject: string;
  /** Everything after the header block (may still be MIME-encoded). */
  body: string;
  auth: { user: string; pass: string } | null;
}

export interface SmtpSinkOptions {
  /** Reply to RCPT TO with this code (e.g. 450 to make delivery fail transiently, 550 permanently). */
  rejectRecipients?: number;
  /** Close the connection on connect without greeting, to test a dead server. */
  dropConnections?: boolean;
  /** Listen here instead of 127.0.0.1:<free port> (e.g. a second sink on 127.0.0.2, same port). */
  host?: string;
  port?: number;
}

export interface SmtpSink {
  port: number;
  messages: SinkMessage[];
  /** Resolves once at least `count` messages arrived; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
}

function parseHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? "" : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  let last: string | null = null;
  for (const line of head.split("\r\n")) {
    if (/^[ \t]/.test(line) && last) {
      headers[last] += " " + line.trim();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    headers[last] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

/** RFC 2047 encoded words, which nodemailer uses for non-ASCII subjects. */
function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_, _charset: string, enc: string, text: string) =>
    enc.toUpperCase() === "B"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
  );
}

const address = (arg: string): string => (arg.match(/<([^>]*)>/)?.[1] ?? arg.split(/\s/)[0] ?? "").trim();

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters: (() => void)[] = [];
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    if (opts.dropConnections) {
      socket.destroy();
      return;
    }
    socket.setEncoding("utf8");
    const reply = (line: string) => socket.write(`${line}\r\n`);

    let buffer = "";
    let from: string | null = null;
    let to: string[] = [];
    let auth: { user: string; pass: string } | null = null;
    let mode: "command" | "data" | "authPlain" | "authLoginUser" | "authLoginPass" = "command";
    let pendingUser = "";
    let data: string[] = [];

    const handleCommand = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      const arg = line.slice(line.indexOf(" ") + 1);
      switch (verb) {
        case "EHLO":
          reply("250-localhost greets you");
          reply("250-AUTH PLAIN LOGIN");
          reply("250 8BITMIME");
          return;
        case "HELO":
          return reply("250 localhost");
        case "AUTH": {
          const [method, initial] = arg.split(" ");
          if (method?.toUpperCase() === "PLAIN") {
            if (initial) return finishPlain(initial);
            mode = "authPlain";
            return reply("334 ");
          }
          if (method?.toUpperCase() === "LOGIN") {
            if (initial) {
              pendingUser = Buffer.from(initial, "base64").toString("utf8");
              mode = "authLoginPass";
              return reply("334 UGFzc3dvcmQ6");
            }
            mode = "authLoginUser";
            return reply("334 VXNlcm5hbWU6");
          }
          return reply("504 Unrecognized authentication type");
        }
        case "MAIL":
          from = address(arg.replace(/^FROM:/i, ""));
          to = [];
          return reply("250 OK");
        case "RCPT":
          if (!from) return reply("503 MAIL first");
          if (opts.rejectRecipients) return reply(`${opts.rejectRecipients} recipient refused`);
          to.push(address(arg.replace(/^TO:/i, "")));
          return reply("250 OK");
        case "DATA":
          if (!from || to.length === 0) return reply("503 need MAIL and RCPT first");
          mode = "data";
          data = [];
          return reply("354 End data with <CR><LF>.<CR><LF>");
        case "RSET":
          from = null;
          to = [];
          return reply("250 OK");
        case "NOOP":
          return reply("250 OK");
        case "QUIT":
          reply("221 Bye");
          socket.end();
          return;
        default:
          return reply("502 Command not implemented");
      }
    };

    const finishPlain = (b64: string) => {
      const [, user = "", pass = ""] = Buffer.from(b64, "base64").toString("utf8").split("\u0000");
      auth = { user, pass };
      mode = "command";
      reply("235 Authentication successful");
    };

    const handleLine = (line: string) => {
      switch (mode) {
        case "data": {
          if (line === ".") {
            const raw = data.join("\r\n") + "\r\n";
            const { headers, body } = parseHeaders(raw);
            messages.push({ from: from ?? "", to, raw, headers, subject: decodeWords(headers["subject"] ?? ""), body, auth });
            from = null;
            to = [];
            mode = "command";
            reply("250 OK: queued");
            for (const w of waiters.splice(0)) w();
            return;
          }
          data.push(line.startsWith(".") ? line.slice(1) : line);
          return;
        }
        case "authPlain":
          return finishPlain(line);
        case "authLoginUser":
          pendingUser = Buffer.from(line, "base64").toString("utf8");
          mode = "authLoginPass";
          return reply("334 UGFzc3dvcmQ6");
        case "authLoginPass":
          auth = { user: pendingUser, pass: Buffer.from(line, "base64").toString("utf8") };
          mode = "command";
          return reply("235 Authentication successful");
        default:
          return handleCommand(line);
      }
    };

    socket.on("data", (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        handleLine(line);
      }
    });
    reply("220 localhost ESMTP infra-watch test sink");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    messages,
    waitForMessages(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`smtp sink: ${messages.length} of ${count} messages after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve(messages);
          } else waiters.push(check);
        };
        check();
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A real PgBouncer (Debian's /usr/sbin/pgbouncer) in transaction pooling mode, in front of the
 * test PostgreSQL server, with its config, socket, pid and log in a temporary folder and its
 * listener on a free 127.0.0.1 port. It runs as the `postgres` user (PgBouncer refuses root).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./server";

export const PGBOUNCER_BIN = process.env.PGBOUNCER_BIN ?? "/usr/sbin/pgbouncer";

export type PgBouncer = {
  port: number;
  /** `url` with its host and port replaced by the pooler's. */
  via(url: string): string;
  logs(): string;
  stop(): Promise<void>;
};

/** Why a pooler test cannot run here, or null when it can. */
export function pgbouncerUnavailable(): string | null {
  if (!process.env.DATABASE_URL) return "DATABASE_URL is not set (the pooler test needs a PostgreSQL server)";
  if (!fs.existsSync(PGBOUNCER_BIN)) return `${PGBOUNCER_BIN} is not installed (apt-get install pgbouncer; .ci/run does)`;
  return null;
}

async function waitForPort(port: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.end();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pgbouncer did not listen on ${port} within ${timeoutMs} ms`);
}

export async function startPgBouncer(serverUrl: string, opts: { poolSize?: number } = {}): Promise<PgBouncer> {
  const target = new URL(serverUrl);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iw-pgb-"));
  const port = await freePort();
  const user = decodeURIComponent(target.username || "postgres");
  fs.writeFileSync(path.join(dir, "users.txt"), `"${user}" "${decodeURIComponent(target.password)}"\n`);
  fs.writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${target.hostname} port=${target.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "auth_type = trust",
      `auth_file = ${dir}/users.txt`,
      "pool_mode = transaction",
      "max_client_conn = 1000",
      `default_pool_size = ${opts.poolSize ?? 20}`,
      `unix_socket_dir = ${dir}`,
      `pidfile = ${dir}/pgbouncer.pid`,
      `logfile = ${dir}/pgbouncer.log`,
      "ignore_startup_parameters = extra_float_digits,options",
      "",
    ].join("\n"),
  );
  // PgBouncer will not run as root; the postgres user needs to own its folder.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["-R", "postgres", dir]);
  const args = ["-d", path.join(dir, "pgbouncer.ini")];
  const started = asRoot ? spawnSync("runuser", ["-u", "postgres", "--", PGBOUNCER_BIN, ...args], { encoding: "utf8" }) : spawnSync(PGBOUNCER_BIN, args, { encoding: "utf8" });
  if (started.status !== 0) throw new Error(`pgbouncer did not start: ${started.stderr}${started.stdout}`);
  const logs = () => {
    try {
      return fs.readFileSync(path.join(dir, "pgbouncer.log"), "utf8");
    } catch {
      return "";
    }
  };
  try {
    await waitForPort(port, 10_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${logs()}`);
  }
  return {
    port,
    via(url: string) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    logs,
    async stop() {
      const pid = Number(fs.readFileSync(path.join(dir, "pgbouncer.pid"), "utf8").trim());
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        return;
      }
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL's server log, read from an offset, so a test sees only what was logged during it. */
export type ServerLog = { readable: boolean; reason?: string; since(): string };

export function openServerLog(file = process.env.IW_PG_LOG ?? "/var/log/postgresql/postgresql-15-main.log"): ServerLog {
  let offset: number;
  try {
    offset = fs.statSync(file).size;
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    return { readable: false, reason: `${file}: ${(err as Error).message}`, since: () => "" };
  }
  return {
    readable: true,
    since() {
      const fd = fs.openSync(file, "r");
      try {
        const size = fs.fstatSync(fd).size;
        const buf = Buffer.alloc(Math.max(0, size - offset));
        fs.readSync(fd, buf, 0, buf.length, offset);
        return buf.toString("utf8");
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

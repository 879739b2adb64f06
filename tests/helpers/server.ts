/**
 * Starts the real server (`next start` on the production build) on a free port with its own
 * data directory and database, for API, agent and browser tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "./database";

const root = path.resolve(import.meta.dirname, "..", "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

export type TestServer = {
  baseUrl: string;
  port: number;
  adminEmail: string;
  adminPassword: string;
  dataDir: string;
  databaseUrl: string | undefined;
  cronSecret: string;
  process: ChildProcess;
  logs(): string;
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export async function waitForHealth(baseUrl: string, timeoutMs: number, isDead: () => boolean = () => false) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isDead()) throw new Error("the server exited before it became healthy");
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${baseUrl} did not become healthy in ${timeoutMs} ms`);
}

export async function startTestServer(
  opts: {
    env?: Record<string, string>;
    database?: TestDatabase;
    dataDir?: string;
    distDir?: string;
    port?: number;
    /** Start through `npm start`'s launcher (scripts/start.mjs: IW_WORKERS processes) instead of `next start`. */
    launcher?: boolean;
  } = {},
): Promise<TestServer> {
  const database = opts.database ?? (await createTestDatabase());
  const ownsDatabase = !opts.database;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "iw-test-"));
  const port = opts.port ?? (await freePort());
  const adminEmail = "admin@example.test";
  const adminPassword = "admin-password-123";
  const cronSecret = "test-cron-secret-0123456789";
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: "production",
    PORT: String(port),
    IW_DATA_DIR: dataDir,
    IW_ADMIN_EMAIL: adminEmail,
    IW_ADMIN_PASSWORD: adminPassword,
    CRON_SECRET: cronSecret,
    IW_LOCAL_AGENT: "0",
    IW_ALERT_INTERVAL_S: "0",
    NEXT_DIST_DIR: opts.distDir ?? ".next",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    ...(database.url ? { DATABASE_URL: database.url, AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789" } : {}),
    ...opts.env,
  };
  if (!database.url) delete env.DATABASE_URL;
  const entry = opts.launcher ? [path.join(root, "scripts", "start.mjs")] : [nextBin, "start"];
  const child = spawn(process.execPath, [...entry, "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  let exited = false;
  child.on("exit", () => (exited = true));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, 60_000, () => exited);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return {
    baseUrl,
    port,
    adminEmail,
    adminPassword,
    dataDir,
    databaseUrl: database.url,
    cronSecret,
    process: child,
    logs: () => output,
    async stop() {
      if (!exited) {
        const done = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await done;
        clearTimeout(timer);
      }
      if (ownsDatabase) await database.drop();
    },
  };
}

/**
 * IW_WORKERS: `npm start`'s launcher runs several server processes on one port (PostgreSQL),
 * keeps serving when one dies, restarts it, and stops them all on SIGTERM. On the embedded
 * database it refuses more than one, saying why.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "../helpers/database";
import { startTestServer, type TestServer } from "../helpers/server";

const root = path.resolve(import.meta.dirname, "..", "..");

/** The pids whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      // The command may hold spaces and parentheses: the fields after the last ")" are fixed.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out.sort((a, b) => a - b);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs the launcher to its exit; for settings it must refuse before starting anything. */
function launcherExit(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const merged: Record<string, string | undefined> = { ...process.env, ...env };
    for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
    const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
      cwd: root,
      env: merged as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("IW_WORKERS refusals", () => {
  it("more than one worker on the embedded database", async () => {
    const env = { IW_WORKERS: "2", DATABASE_URL: undefined };
    const r = await launcherExit(env);
    expect(r.code).toBe(1);
    expect(r.output).toContain("IW_WORKERS=2 needs DATABASE_URL");
  });

  it("a value that is not a worker count", async () => {
    const r = await launcherExit({ IW_WORKERS: "lots" });
    expect(r.code).toBe(1);
    expect(r.output).toContain('IW_WORKERS must be a whole number from 1 to 64 (got "lots")');
  });
});

describe.skipIf(!testServerUrl())("two workers on PostgreSQL", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ launcher: true, env: { IW_WORKERS: "2" } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("a scrape reaching either worker shows both workers' ingest counters", async () => {
    const call = async (method: string, url: string, body?: unknown, token?: string, headers: Record<string, string> = {}) => {
      const r = await fetch(server.baseUrl + url, {
        method,
        headers: { connection: "close", ...(body === undefined ? {} : { "content-type": "application/json" }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, text, body: text.startsWith("{") ? JSON.parse(text) : undefined };
    };
    const admin = (await call("POST", "/api/auth/login", { email: server.adminEmail, password: server.adminPassword })).body.accessToken as string;
    const apiToken = (await call("POST", "/api/tokens", { name: "scraper", role: "viewer" }, admin)).body.token as string;
    const { token } = (await call("POST", "/api/enrollment-tokens", { maxUses: 1 }, admin)).body;
    const host = (await call("POST", "/api/agents/enroll", { token, hostname: "w-1", machineId: `workers-${Date.now()}` })).body;
    // Fresh connections are handed round-robin, so both workers take some of the 12 posts.
    const now = Date.now();
    for (let i = 0; i < 12; i++) {
      const r = await call("POST", "/api/telemetry", { ts: new Date(now - (12 - i) * 1000).toISOString(), cpuPct: 10, memPct: 20, diskPct: 30, uptimeS: 100 + i }, host.agentToken);
      expect(r.status).toBe(202);
    }
    await new Promise((r) => setTimeout(r, 1_500)); // one push interval and a half
    for (let scrape = 0; scrape < 4; scrape++) {
      const text = (await call("GET", "/api/prometheus/metrics", undefined, apiToken)).text;
      const lines = text.split("\n").filter((l) => l.startsWith("infrawatch_ingest_batches_accepted_total{"));
      expect(new Set(lines.map((l) => l.match(/server="([^"]+)"/)?.[1])).size).toBe(2);
      expect(lines.reduce((sum, l) => sum + Number(l.split(" ").pop()), 0)).toBe(12);
    }
  });

  it("serves from two processes, survives losing one, restarts it, and stops them all on SIGTERM", async () => {
    const launcher = server.process.pid!;
    const workers = await until("two serving workers", () => {
      const pids = childrenOf(launcher);
      return pids.length === 2 && (server.logs().match(/worker \d\/2 \(pid \d+\) serving/g) ?? []).length === 2 && pids;
    });

    // Requests on fresh connections are handed round-robin: all answered.
    const health = () => fetch(`${server.baseUrl}/api/health`, { headers: { connection: "close" } }).then((r) => r.status);
    expect(await Promise.all(Array.from({ length: 20 }, health))).toEqual(Array(20).fill(200));

    // Lose a worker: the other keeps serving while the launcher restarts it.
    process.kill(workers[0]!, "SIGKILL");
    await until("the killed worker to go", () => !alive(workers[0]!));
    expect(await Promise.all(Array.from({ length: 10 }, health))).toEqual(Array(10).fill(200));
    const restarted = await until("a replacement worker", () => {
      const pids = childrenOf(launcher);
      return pids.length === 2 && !pids.includes(workers[0]!) && (server.logs().match(/serving/g) ?? []).length >= 3 && pids;
    });
    expect(restarted).toContain(workers[1]);
    expect(server.logs()).toMatch(/worker 1\/2 exited with signal SIGKILL; restarting/);

    // SIGTERM to the launcher stops every worker and exits 0.
    const exited = new Promise<number | null>((r) => server.process.once("exit", (code) => r(code)));
    server.process.kill("SIGTERM");
    expect(await exited).toBe(0);
    await until("every worker to stop", () => restarted.every((pid) => !alive(pid)), 30_000);
  });
});

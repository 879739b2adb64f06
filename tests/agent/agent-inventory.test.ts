/**
 * The agent executable's processes and inventory on this machine's real /proc and /etc,
 * against `next start`: a busy loop the test runs is the busiest process of the posted sample,
 * a TCP port the test opens is listed with its process, and a watched file the test changes
 * shows as a changed hash in the next snapshot's diff.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProcessInfo } from "@/lib/protocol";
import { api, loginAs, type Api } from "../helpers/api";
import { startTestServer, type TestServer } from "../helpers/server";
import { agentEnv, asProcessEnv, isolatedAgent, runAgent } from "./agent-process";

/**
 * A server of its own: the agent enrolls with this machine's real machine id, which the other
 * agent test (agent-e2e) has already enrolled on the shared server, where a second enrollment
 * without that host's token waits for an admin's approval.
 */
let server: TestServer;
let a: Api;
let admin: string;
let exe: string;
let home: string;
let env: Record<string, string>;
let hostId: string;
let watched: string;
const children: ChildProcess[] = [];
const files = () => ["--config", path.join(home, "agent.json"), "--spool", path.join(home, "spool")];
const settings = () => ["--top-processes", "5", "--watch-file", watched, "--watch-file", "/etc/passwd"];

/**
 * Node under another file name: the kernel names a process after the file it executed (a
 * symlink's name, not its target's), so the test's processes are recognisable in the sample.
 */
async function named(name: string): Promise<string> {
  const file = path.join(home, "bin", name);
  await mkdir(path.dirname(file), { recursive: true });
  await symlink(process.execPath, file);
  return file;
}

/** `detached`: a session of its own, hence (with the kernel's autogroup scheduling) a scheduling group of its own. */
function start(file: string, code: string, detached = false): ChildProcess {
  const child = spawn(file, ["-e", code], { stdio: ["ignore", "pipe", "inherit"], env: asProcessEnv({ PATH: "/usr/bin:/bin" }), detached });
  children.push(child);
  return child;
}

/** Three spinning threads: on a two-core machine it outruns any single-threaded neighbour. */
const BUSY_LOOP = `
const { Worker } = require("node:worker_threads");
for (let i = 0; i < 2; i++) new Worker("for (;;) {}", { eval: true });
for (;;) {}
`;

const LISTENER = `
require("node:net").createServer().listen(0, "127.0.0.1", function () { console.log(this.address().port); });
setInterval(() => {}, 1000);
`;

/**
 * The nice value of a process and, where the kernel groups sessions for scheduling
 * (/proc/<pid>/autogroup), of its session's group, which is what a neighbour's session
 * competes with. Needs root to go below 0; without it nothing changes.
 */
async function prefer(pid: number, nice: number) {
  if (process.getuid?.() !== 0) return;
  os.setPriority(pid, nice);
  await writeFile(`/proc/${pid}/autogroup`, String(nice)).catch(() => {});
}

async function once(extraEnv: Record<string, string> = {}) {
  const r = await runAgent(exe, ["once", "--verbose", ...files(), ...settings()], { ...env, ...extraEnv });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

async function newestSnapshot() {
  const list = await a.get(`/api/snapshots?hostId=${hostId}`, admin);
  expect(list.status).toBe(200);
  const newest = list.body.snapshots[0];
  const detail = await a.get(`/api/snapshots/${newest.id}`, admin);
  expect(detail.status).toBe(200);
  return detail.body as { id: string; sections: { ports?: Array<{ proto: string; address: string; port: number; process?: string }>; files?: Array<{ path: string; sha256?: string }> } };
}

beforeAll(async () => {
  server = await startTestServer();
  a = api(server.baseUrl);
  admin = (await loginAs(a, server.adminEmail, server.adminPassword)).accessToken;
  exe = await isolatedAgent();
  home = await mkdtemp(path.join(os.tmpdir(), "iw-agent-inventory-"));
  env = agentEnv(home);
  watched = path.join(home, "watched.conf");
  await writeFile(watched, "PermitRootLogin no\n");
  const token = await a.post("/api/enrollment-tokens", { ttlHours: 1, maxUses: 1 }, admin);
  expect(token.status).toBe(201);
  const tokenFile = path.join(home, "token");
  await writeFile(tokenFile, `${token.body.token}\n`, { mode: 0o600 });
  const enrolled = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--token-file", tokenFile, ...files()], env);
  expect(enrolled.code, enrolled.stderr).toBe(0);
  hostId = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(path.join(home, "agent.json"), "utf8"))).hostId;
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await rm(home, { recursive: true, force: true });
  await rm(path.dirname(exe), { recursive: true, force: true });
  await server?.stop();
});

describe("the agent on this machine's /proc and /etc", () => {
  let listenerPort: number;
  let listener: ChildProcess;

  it("posts its busiest process: the test's busy loop, with its owner, start time and command line", async () => {
    const busy = start(await named("iw-busy-loop"), BUSY_LOOP, true);
    listener = start(await named("iw-e2e-listen"), LISTENER);
    listenerPort = await new Promise<number>((resolve) => listener.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))));
    await new Promise((r) => setTimeout(r, 500));
    // The first run keeps its counters; the second measures every process over the time between them.
    await once();
    // This machine is shared with other trees' builds: as root, the loop gets the scheduler's
    // preference while nothing else of the test runs, so "busiest" means the loop, not a
    // neighbour's compiler. The agent and the server run at normal priority either way.
    await prefer(busy.pid!, -10);
    await new Promise((r) => setTimeout(r, 5_000));
    await prefer(busy.pid!, 0);
    await once();
    busy.kill("SIGKILL");

    const r = await a.get(`/api/hosts/${hostId}/processes`, admin);
    expect(r.status).toBe(200);
    const processes = r.body.processes as ProcessInfo[];
    expect(processes.length).toBeGreaterThan(0);
    expect(processes.length).toBeLessThanOrEqual(10);
    expect(processes[0], JSON.stringify(processes.slice(0, 3))).toMatchObject({ pid: busy.pid, name: "iw-busy-loop", user: os.userInfo().username, state: "R" });
    // Three spinning threads on two cores: most of the machine over the five seconds.
    expect(processes[0]!.cpuPct).toBeGreaterThan(30);
    expect(processes[0]!.cmdline).toContain("-e");
    expect(Math.abs(Date.parse(processes[0]!.startedAt!) - Date.now())).toBeLessThan(60_000);
  });

  it("lists the test's listening TCP port with its process", async () => {
    const snapshot = await newestSnapshot();
    expect(snapshot.sections.ports).toContainEqual({ proto: "tcp", address: "127.0.0.1", port: listenerPort, process: "iw-e2e-listen" });
    listener.kill("SIGKILL");
  });

  it("shows a change to a watched file as a changed hash in the next snapshot's diff, never its content", async () => {
    const before = (await newestSnapshot()).sections.files?.find((f) => f.path === watched);
    expect(before?.sha256).toMatch(/^[0-9a-f]{64}$/);
    await writeFile(watched, "PermitRootLogin yes\n");
    const r = await once();
    expect(r.stderr).toMatch(/snapshot delivered/);

    const after = await newestSnapshot();
    const diff = await a.get(`/api/snapshots/${after.id}/diff?against=previous`, admin);
    expect(diff.status).toBe(200);
    const changed = diff.body.diff.files?.changed as Array<{ name: string; fields: string[]; from: { sha256: string }; to: { sha256: string } }>;
    const file = changed.find((c) => c.name === watched);
    expect(file, JSON.stringify(diff.body.diff.files)).toBeDefined();
    expect(file!.fields).toContain("sha256");
    expect(file!.from.sha256).toBe(before!.sha256);
    expect(file!.to.sha256).not.toBe(before!.sha256);
    expect(JSON.stringify(after)).not.toContain("PermitRootLogin");
    // The listener was stopped after the last snapshot: its port is gone in this one.
    expect(diff.body.diff.ports?.removed).toContainEqual(expect.objectContaining({ port: listenerPort, process: "iw-e2e-listen" }));
  });
});

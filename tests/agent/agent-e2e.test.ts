/**
 * The agent executable against `next start`: built, copied alone into an empty directory,
 * enrolled with a real enrollment token, reporting this machine; then `run` through a proxy
 * that is cut for 10 s, after which every sample taken during the cut must arrive, once.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api } from "../helpers/api";
import { agentEnv, asProcessEnv, isolatedAgent, runAgent, startAgent } from "./agent-process";
import { cuttableProxy } from "./cuttable-proxy";

const a = api();
let admin: string;
let exe: string;
let home: string;
let env: Record<string, string>;
let hostId: string;
/** The snapshot routes may land after the agent; their assertions run once they exist. */
let snapshotIngest = false;
const files = (name: string) => ["--config", path.join(home, name, "agent.json"), "--spool", path.join(home, name, "spool")];

/** A second config for the enrolled host that reaches the server another way (a proxy). */
async function configThrough(name: string, server: string) {
  const config = JSON.parse(await readFile(path.join(home, "main/agent.json"), "utf8"));
  await mkdir(path.join(home, name), { recursive: true });
  await writeFile(path.join(home, name, "agent.json"), JSON.stringify({ ...config, server }), { mode: 0o600 });
}

async function enrollmentToken() {
  const r = await a.post("/api/enrollment-tokens", { ttlHours: 1, maxUses: 1 }, admin);
  expect(r.status).toBe(201);
  return r.body.token as string;
}

type Point = { ts: string; cpuPct: number; memPct: number; diskPct: number; uptimeS: number };
async function metrics(from: string, to: string): Promise<{ stepSeconds: number; series: Point[] }> {
  const r = await a.get(`/api/metrics?hostId=${hostId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&points=2000`, admin);
  expect(r.status).toBe(200);
  return r.body;
}

/** df's view of / on this machine, to compare the agent's figure with. */
function rootDiskPct() {
  const out = execFileSync("df", ["-P", "/"], { encoding: "utf8" }).trim().split("\n")[1]!.split(/\s+/);
  return (Number(out[2]) / (Number(out[2]) + Number(out[3]))) * 100;
}

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
  exe = await isolatedAgent();
  home = await mkdtemp(path.join(os.tmpdir(), "iw-agent-home-"));
  env = agentEnv(home);
  snapshotIngest = (await a.post("/api/snapshot", {})).status !== 404;
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(path.dirname(exe), { recursive: true, force: true });
});

describe("the agent executable", () => {
  it("runs alone and explains wrong input in one line", async () => {
    expect((await runAgent(exe, ["--version"], env)).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const badUrl = await runAgent(exe, ["enroll", "--server", "not a url", "--token", "x", ...files("bad")], env);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr.trim().split("\n")).toHaveLength(1);
    expect(badUrl.stderr).toContain("is not a URL");
    const refused = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--token", "iwe_not-a-real-token", ...files("bad")], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("enrollment token refused");
    const unwritable = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--token", "x", "--config", "/proc/infra-watch/agent.json"], env);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toContain("cannot write config /proc/infra-watch/agent.json");
  });

  it("enrolls and saves its config readable by its owner only", async () => {
    const r = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--token", await enrollmentToken(), ...files("main")], env);
    expect(r.code, r.stderr).toBe(0);
    const configFile = path.join(home, "main/agent.json");
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
    const config = JSON.parse(await readFile(configFile, "utf8"));
    expect(config).toMatchObject({ server: `${a.baseUrl}/`, hostId: expect.any(String), agentToken: expect.any(String), hostKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    hostId = config.hostId;
  });

  it("`once` reports this machine's real values and its packages", async () => {
    const r = await runAgent(exe, ["once", ...files("main")], env);
    expect(r.code, r.stderr).toBe(0);

    const host = (await a.get(`/api/hosts/${hostId}`, admin)).body;
    expect(host).toMatchObject({ hostname: os.hostname(), kernel: os.release() });
    const prettyName = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(await readFile("/etc/os-release", "utf8"))?.[1];
    expect(host.os).toBe(prettyName);

    const { series } = await metrics("-5m", "now");
    expect(series.length).toBeGreaterThanOrEqual(1);
    const latest = series.at(-1)!;
    expect(latest.cpuPct).toBeGreaterThanOrEqual(0);
    expect(latest.cpuPct).toBeLessThanOrEqual(100);
    const memPct = (1 - os.freemem() / os.totalmem()) * 100;
    expect(latest.memPct).toBeGreaterThan(0);
    expect(latest.memPct).toBeLessThanOrEqual(memPct + 5);
    expect(Math.abs(latest.diskPct - rootDiskPct())).toBeLessThan(2);
    expect(Math.abs(latest.uptimeS - os.uptime())).toBeLessThan(120);

    const snapshots = await a.get(`/api/snapshots?hostId=${hostId}`, admin);
    if (snapshots.status === 404 && snapshots.body === undefined) {
      // The snapshot read routes are not on this server yet; what the agent sent is checked by its log.
      expect(r.stderr).toMatch(/snapshot (delivered|not delivered)/);
      return;
    }
    expect(snapshots.status).toBe(200);
    const newest = snapshots.body.snapshots[0];
    const snapshot = (await a.get(`/api/snapshots/${newest.id}`, admin)).body;
    // Status-Abbrev is three characters ("ii "); the second "i" means installed.
    const dpkg = execFileSync("dpkg-query", ["-W", "-f=${db:Status-Abbrev}\t${Package}\n"], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l[1] === "i")
      .map((l) => l.split("\t")[1]!);
    expect(dpkg.length).toBeGreaterThan(100);
    const names = new Set(snapshot.packages.map((p: { name: string }) => p.name));
    expect(names.size).toBeGreaterThan(0);
    for (const name of dpkg) expect(names.has(name), name).toBe(true);
    expect(snapshot.kernel).toBe(os.release());
    expect(snapshot.env.LANG).toBe("C.UTF-8");
    expect(snapshot.env.IW_E2E_API_TOKEN).toMatch(/^redacted:hmac-sha256:[0-9a-f]+$/);
    expect(JSON.stringify(snapshot)).not.toContain("e2e-secret-value");
  });

  it("sends a snapshot again only when the configuration changed", async () => {
    const again = await runAgent(exe, ["once", "--verbose", ...files("main")], env);
    expect(again.code, again.stderr).toBe(0);
    if (!snapshotIngest) {
      // Without POST /api/snapshot every attempt is refused, so nothing counts as delivered yet.
      expect(again.stderr).toMatch(/snapshot not delivered: HTTP 404/);
      return;
    }
    expect(again.stderr).not.toMatch(/snapshot/);
    const changed = await runAgent(exe, ["once", ...files("main")], { ...env, IW_E2E_ADDED: "1" });
    expect(changed.stderr).toMatch(/snapshot delivered/);
  });
});

describe("a 10 s network cut during `run --interval 1s`", () => {
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  let agent: ReturnType<typeof startAgent> | undefined;

  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    await proxy?.close();
  });

  it("delivers every sample taken during the cut after it ends, each once", async () => {
    proxy = await cuttableProxy(new URL(a.baseUrl));
    await configThrough("cut", proxy.url);

    agent = startAgent(exe, ["run", "--interval", "1s", "--verbose", ...files("cut")], env);
    await agent.waitFor(/delivered 1 samples/, 10_000);
    await new Promise((r) => setTimeout(r, 2_000));

    proxy.cut();
    const cutStart = Date.now();
    await agent.waitFor(/delivery failed/, 5_000);
    await new Promise((r) => setTimeout(r, 10_000 - (Date.now() - cutStart)));
    const cutEnd = Date.now();
    const seenDuringCut = await metrics(new Date(cutStart).toISOString(), new Date(cutEnd).toISOString());
    proxy.restore();

    const linesBeforeEnd = agent.lines.length;
    await agent.waitFor(/server reachable again/, 35_000, 0);
    await agent.waitFor(/delivered 1 samples \(\d+ duplicates\), 0 left in spool/, 5_000, linesBeforeEnd);
    agent.child.kill("SIGTERM");
    expect(await agent.exited).toBe(0);
    await agent.waitFor(/stopped; 0 samples left in the spool/, 1_000);

    const spooled = agent.lines.map((l) => /spooled sample ts=(\S+)/.exec(l)?.[1]).filter((ts): ts is string => !!ts);
    expect(new Set(spooled).size).toBe(spooled.length);
    const duringCut = spooled.filter((ts) => Date.parse(ts) >= cutStart && Date.parse(ts) < cutEnd);
    expect(duringCut.length).toBeGreaterThanOrEqual(9);
    // Nothing of the cut reached the server while it lasted...
    const cutSeconds = new Set(duringCut.map((ts) => Math.floor(Date.parse(ts) / 1000) * 1000));
    expect(seenDuringCut.series.filter((p) => cutSeconds.has(Date.parse(p.ts)))).toEqual([]);

    // ...and afterwards every sample is stored, in its own one-second bucket, none missing.
    const from = new Date(Math.floor(Date.parse(spooled[0]!) / 1000) * 1000).toISOString();
    const to = new Date(Date.parse(spooled.at(-1)!) + 1).toISOString();
    const stored = await metrics(from, to);
    expect(stored.stepSeconds).toBe(1);
    const expected = spooled.map((ts) => new Date(Math.floor(Date.parse(ts) / 1000) * 1000).toISOString());
    expect(stored.series.map((p) => p.ts)).toEqual(expected);
    const gaps = expected.slice(1).filter((ts, i) => Date.parse(ts) - Date.parse(expected[i]!) !== 1000);
    expect(gaps).toEqual([]);
  });
});

describe("crashes and revocation", () => {
  it("loses nothing spooled when killed with SIGKILL while the server is unreachable", async () => {
    const proxy = await cuttableProxy(new URL(a.baseUrl));
    proxy.cut();
    try {
      await configThrough("crash", proxy.url);
      const spoolDir = files("crash")[3]!;

      const agent = startAgent(exe, ["run", "--interval", "1s", "--verbose", ...files("crash")], env);
      while (agent.lines.filter((l) => l.includes("spooled sample")).length < 3) await agent.waitFor(/spooled sample/, 5_000, agent.lines.length);
      agent.child.kill("SIGKILL");
      await agent.exited;
      const spooled = agent.lines.map((l) => /spooled sample ts=(\S+)/.exec(l)?.[1]).filter((ts): ts is string => !!ts);
      const onDisk = (await readdir(spoolDir)).filter((n) => n.endsWith(".sample"));
      expect(onDisk.length).toBeGreaterThanOrEqual(spooled.length);

      proxy.restore();
      const after = await runAgent(exe, ["once", "--verbose", ...files("crash")], env);
      expect(after.code, after.stderr).toBe(0);
      expect(after.stderr).toContain("spool holds 0");
      const stored = await metrics(new Date(Date.parse(spooled[0]!) - 1000).toISOString(), "now");
      const storedSeconds = new Set(stored.series.map((p) => p.ts));
      for (const ts of spooled) expect(storedSeconds.has(new Date(Math.floor(Date.parse(ts) / 1000) * 1000).toISOString()), ts).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it("says in one line that its token was revoked, and keeps the sample", async () => {
    expect((await a.post(`/api/hosts/${hostId}/revoke`, {}, admin)).status).toBe(204);
    const r = await runAgent(exe, ["once", ...files("main")], env);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n").filter((l) => l.includes("401"))).toHaveLength(1);
    expect(r.stderr).toContain("refused the agent token (401)");
    const status = await runAgent(exe, ["status", ...files("main")], env);
    expect(status.stdout).toMatch(/spool depth:\s+1 samples/);
  });
});

describe("re-enrollment", () => {
  it("lets a running agent that was refused pick up the new token by itself", async () => {
    const agent = startAgent(exe, ["run", "--interval", "1s", "--verbose", ...files("main")], env);
    try {
      await agent.waitFor(/refused the agent token \(401\)/, 10_000);
      const r = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--token", await enrollmentToken(), ...files("main")], env);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(await readFile(path.join(home, "main/agent.json"), "utf8")).hostId).toBe(hostId);
      await agent.waitFor(/config changed: resuming delivery/, 5_000);
      await agent.waitFor(/delivered \d+ samples/, 5_000);
      agent.child.kill("SIGTERM");
      expect(await agent.exited).toBe(0);
    } finally {
      agent.child.kill("SIGKILL");
    }
  });
});

describe("install from the server", () => {
  it("serves the executable per architecture, 400 for an unknown one", async () => {
    const res = await fetch(`${a.baseUrl}/api/agent/download?arch=x64`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect((await res.arrayBuffer()).byteLength).toBe((await stat(exe)).size);
    const bad = await a.get("/api/agent/download?arch=sparc");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("sparc");
    const arm64 = await fetch(`${a.baseUrl}/api/agent/download?arch=arm64`);
    expect([200, 404]).toContain(arm64.status);
    await arm64.body?.cancel();
  });

  it("serves an install script for its public address that installs, enrolls and prints the cron line", async () => {
    const proxied = await a.call("GET", "/api/agent/install.sh", { headers: { "x-forwarded-proto": "https", "x-forwarded-host": "monitor.example.com" } });
    expect(proxied.status).toBe(200);
    expect(proxied.text).toContain("SERVER='https://monitor.example.com'");
    const script = (await a.get("/api/agent/install.sh")).text;
    expect(script).toContain(`SERVER='${a.baseUrl}'`);
    const file = path.join(home, "install.sh");
    await writeFile(file, script);
    execFileSync("sh", ["-n", file]);
    if (existsSync("/run/systemd/system")) return; // the script would install a real unit here
    const bin = path.join(home, "installed/bin/infra-watch-agent");
    const out = execFileSync("sh", [file, await enrollmentToken()], {
      encoding: "utf8",
      env: asProcessEnv({ ...env, IW_INSTALL_BIN: bin, IW_CONFIG: path.join(home, "installed/agent.json"), IW_SPOOL: path.join(home, "installed/spool") }),
    });
    expect((await stat(bin)).mode & 0o111).toBeTruthy();
    expect(out).toContain(`* * * * * ${bin} once`);
    const installed = { ...env, IW_CONFIG: path.join(home, "installed/agent.json"), IW_SPOOL: path.join(home, "installed/spool") };
    const once = await runAgent(bin, ["once"], installed);
    expect(once.code, once.stderr).toBe(0);
    const upgrade = execFileSync("sh", [file], { encoding: "utf8", env: asProcessEnv({ ...installed, IW_INSTALL_BIN: bin }) });
    expect(upgrade).toContain("upgraded the executable only");
  });
});

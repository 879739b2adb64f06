/**
 * The agent executable against `next start`: built, copied alone into an empty directory,
 * enrolled with a real enrollment token, reporting this machine; then `run` through a proxy
 * that is cut for 10 s, after which every sample taken during the cut must arrive, once.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installScript } from "@/app/api/agent/install.sh/install-script";
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

/** A fresh enrollment token in a 0600 file, for --token-file (kept out of the agent's argv). */
async function tokenFile() {
  const file = path.join(home, `token-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, `${await enrollmentToken()}\n`, { mode: 0o600 });
  return file;
}

/** `sh FILE ARGS`, its stdout and stderr collected together. */
function runScript(file: string, args: string[], scriptEnv: Record<string, string>) {
  const child = spawn("sh", [file, ...args], { env: asProcessEnv(scriptEnv), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    exited,
    output: () => out,
    async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = out.split("\n").find((l) => pattern.test(l));
        if (hit) return hit;
        if (Date.now() > deadline) {
          child.kill("SIGKILL");
          throw new Error(`the install script did not print ${pattern} within ${timeoutMs} ms:\n${out}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** Every process on this machine whose command line holds `secret` (what `ps` would show anyone). */
function commandLinesContaining(secret: string): string[] {
  const hits: string[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(secret)) hits.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return hits;
}

/** An HTTP proxy that flips a byte in every agent download (not in its checksum), as a compromised mirror would. */
async function tamperingProxy(target: URL) {
  let tampered = 0;
  const server = http.createServer((req, res) => {
    // As a server built without the .gz: the script then fetches the plain executable, which is tampered.
    if (new URL(req.url!, target).searchParams.has("gz")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"no gz here"}');
      return;
    }
    // The client's Host goes upstream unchanged, so the install script names the proxy as its server.
    const headers = { ...req.headers };
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      const chunks: Buffer[] = [];
      up.on("data", (c: Buffer) => chunks.push(c));
      up.on("end", () => {
        const body = Buffer.concat(chunks);
        const url = new URL(req.url!, target);
        if (url.pathname === "/api/agent/download" && !url.searchParams.has("sha256") && body.length > 1000) {
          body[1000] = body[1000]! ^ 0xff;
          tampered++;
        }
        const headers = { ...up.headers, "content-length": String(body.length) };
        delete headers["transfer-encoding"];
        res.writeHead(up.statusCode ?? 502, headers);
        res.end(body);
      });
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, tampered: () => tampered, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
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
    const badUrl = await runAgent(exe, ["enroll", "--server", "not a url", ...files("bad")], { ...env, IW_ENROLL_TOKEN: "x" });
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr.trim().split("\n")).toHaveLength(1);
    expect(badUrl.stderr).toContain("is not a URL");
    const refused = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--token", "iwe_not-a-real-token", ...files("bad")], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("enrollment token refused");
    // --token still works, with a warning that every local user can read it in ps.
    expect(refused.stderr).toContain("--token puts the enrollment token on the command line");
    const unwritable = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--config", "/proc/infra-watch/agent.json"], { ...env, IW_ENROLL_TOKEN: "x" });
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toContain("cannot write config /proc/infra-watch/agent.json");
  });

  it("enrolls and saves its config readable by its owner only", async () => {
    const badLabel = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--token-file", "/nonexistent", "--label", "Env=prod", ...files("main")], env);
    expect(badLabel.code).toBe(2);
    expect(badLabel.stderr.trim()).toBe('infra-watch-agent: --label: label "Env=prod": a label key holds only a-z, 0-9, _ . - and /');
    const r = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--token-file", await tokenFile(), "--label", "env=e2e", "--label", "gpu", ...files("main")], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("--token puts");
    const configFile = path.join(home, "main/agent.json");
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
    const config = JSON.parse(await readFile(configFile, "utf8"));
    expect(config).toMatchObject({ server: `${a.baseUrl}/`, hostId: expect.any(String), agentToken: expect.any(String), hostKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(config.labels).toEqual({ env: "e2e", gpu: "" });
    hostId = config.hostId;
  });

  it("`once` reports this machine's real values and its packages", async () => {
    const r = await runAgent(exe, ["once", ...files("main")], env);
    expect(r.code, r.stderr).toBe(0);

    const host = (await a.get(`/api/hosts/${hostId}`, admin)).body;
    expect(host).toMatchObject({ hostname: os.hostname(), kernel: os.release() });
    // The labels given at enrollment, from the config file, as the agent's.
    expect(host).toMatchObject({ labels: { env: "e2e", gpu: "" }, labelSources: { env: "agent", gpu: "agent" } });
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
  it("a second agent on this machine (same machine id, no agent token) only gets a pending request", async () => {
    await mkdir(path.join(home, "proof"), { recursive: true });
    const first = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--token-file", await tokenFile(), "--wait", "0", ...files("proof")], env);
    // This machine is already the "main" host: only the main config holds its token.
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("an admin must approve this re-enrollment");
    expect(first.stderr).toMatch(/still waiting for an admin's approval/);
    const pending = JSON.parse(await readFile(path.join(home, "proof/agent.json.pending.json"), "utf8"));
    expect(pending.pendingId).toMatch(/^[0-9a-f-]{36}$/);
    // Reject it, so the e2e host's state stays as the other tests expect.
    expect((await a.post(`/api/hosts/${hostId}/reenrollments/${pending.pendingId}/reject`, {}, admin)).status).toBe(200);
  });

  it("lets a running agent that was refused pick up the new token by itself, once an admin approved its re-enrollment", async () => {
    const agent = startAgent(exe, ["run", "--interval", "1s", "--verbose", ...files("main")], env);
    try {
      await agent.waitFor(/refused the agent token \(401\)/, 10_000);
      // Revoked: its token is no proof any more, so the re-enrollment waits for an admin.
      const enrolling = startAgent(exe, ["enroll", "--server", a.baseUrl, "--token-file", await tokenFile(), "--wait", "60s", "--poll-interval", "200ms", ...files("main")], env);
      const line = await enrolling.waitFor(/an admin must approve this re-enrollment on the host's page \(request [0-9a-f-]{36}/, 10_000);
      const pendingId = /request ([0-9a-f-]{36})/.exec(line)![1]!;
      const listed = await a.get(`/api/hosts/${hostId}/reenrollments`, admin);
      expect(listed.body.reenrollments.map((r: { id: string }) => r.id)).toContain(pendingId);
      await enrolling.waitFor(/waiting for approval/, 5_000);
      expect((await a.post(`/api/hosts/${hostId}/reenrollments/${pendingId}/approve`, {}, admin)).status).toBe(200);
      expect(await enrolling.exited).toBe(0);
      expect(enrolling.lines.join("\n")).toContain(`re-enrollment ${pendingId} approved`);
      expect(JSON.parse(await readFile(path.join(home, "main/agent.json"), "utf8")).hostId).toBe(hostId);
      expect(existsSync(path.join(home, "main/agent.json.pending.json"))).toBe(false);
      await agent.waitFor(/config changed: resuming delivery/, 5_000);
      await agent.waitFor(/delivered \d+ samples/, 5_000);
      agent.child.kill("SIGTERM");
      expect(await agent.exited).toBe(0);

      // Now it holds a valid token: enrolling again proves itself and needs nobody.
      const again = await runAgent(exe, ["enroll", "--server", a.baseUrl, "--token-file", await tokenFile(), ...files("main")], env);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).not.toContain("approve");
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

  it("publishes the executable's sha256, which the install script checks", async () => {
    const expected = createHash("sha256").update(await readFile(exe)).digest("hex");
    const sums = await fetch(`${a.baseUrl}/api/agent/download?arch=x64&sha256`);
    expect(sums.status).toBe(200);
    expect(sums.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const text = await sums.text();
    expect(text.length).toBeLessThan(200); // a checksum line, not the executable
    expect(text).toBe(`${expected}  infra-watch-agent-linux-x64\n`);
    const download = await fetch(`${a.baseUrl}/api/agent/download?arch=x64`);
    expect(download.headers.get("x-checksum-sha256")).toBe(expected);
    await download.body?.cancel();
  });

  it("serves an install script for its public address that installs, enrolls without the token in any command line, and prints the cron line", async () => {
    // X-Forwarded-* from a peer that is not a configured proxy do not pick where root downloads from.
    const forged = await a.call("GET", "/api/agent/install.sh", { headers: { "x-forwarded-proto": "https", "x-forwarded-host": "monitor.example.com" } });
    expect(forged.status).toBe(200);
    expect(forged.text).not.toContain("monitor.example.com");
    expect(forged.text).toContain(`SERVER='${a.baseUrl}'`);
    const script = (await a.get("/api/agent/install.sh")).text;
    expect(script).toContain(`SERVER='${a.baseUrl}'`);
    const file = path.join(home, "install.sh");
    await writeFile(file, script);
    execFileSync("sh", ["-n", file]);
    if (existsSync("/run/systemd/system")) return; // the script would install a real unit here
    const bin = path.join(home, "installed/bin/infra-watch-agent");
    const installed = { ...env, IW_CONFIG: path.join(home, "installed/agent.json"), IW_SPOOL: path.join(home, "installed/spool") };
    const tokenPath = await tokenFile();
    const token = (await readFile(tokenPath, "utf8")).trim();
    const run = runScript(file, ["--token-file", tokenPath], { ...installed, IW_INSTALL_BIN: bin });
    // This machine is already enrolled (the "main" host), so the new agent waits for an admin:
    // the moment to look at every process's command line for the token.
    const line = await run.waitFor(/an admin must approve this re-enrollment on the host's page \(request ([0-9a-f-]{36})/);
    const pendingId = /request ([0-9a-f-]{36})/.exec(line)![1]!;
    expect(commandLinesContaining(token)).toEqual([]);
    expect((await a.post(`/api/hosts/${hostId}/reenrollments/${pendingId}/approve`, {}, admin)).status).toBe(200);
    expect(await run.exited, run.output()).toBe(0);
    expect((await stat(bin)).mode & 0o111).toBeTruthy();
    expect(run.output()).toContain(`* * * * * ${bin} once`);
    expect(run.output()).not.toContain("visible to every local user");
    const once = await runAgent(bin, ["once"], installed);
    expect(once.code, once.stderr).toBe(0);
    const upgrade = execFileSync("sh", [file], { encoding: "utf8", env: asProcessEnv({ ...installed, IW_INSTALL_BIN: bin }) });
    expect(upgrade).toContain("upgraded the executable only");
  });

  it("refuses a plain-http server that is not this machine unless --insecure, and a token argument", async () => {
    const key = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const script = installScript("http://monitor.invalid", key);
    const file = path.join(home, "install-http.sh");
    await writeFile(file, script);
    const bin = path.join(home, "refused/bin/infra-watch-agent");
    const argToken = runScript(file, ["--insecure", "iwe_some-token"], { ...env, IW_INSTALL_BIN: bin });
    expect(await argToken.exited).toBe(1);
    expect(argToken.output()).toContain("refusing a token on the command line: every local user can read it (ps)");
    const refused = runScript(file, [], { ...env, IW_ENROLL_TOKEN: "iwe_x", IW_INSTALL_BIN: bin });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain("refusing to install from http://monitor.invalid over plain http");
    for (const flag of ["--insecure", "--insecure-http"]) {
      const insecure = runScript(file, [flag], { ...env, IW_ENROLL_TOKEN: "iwe_x", IW_INSTALL_BIN: bin });
      expect(await insecure.exited).toBe(1);
      // It went on to the download (which cannot resolve here), so the refusal was the only guard.
      expect(insecure.output()).toContain("cannot fetch the signed release statement: http://monitor.invalid/api/agent/download");
    }
    expect(existsSync(bin)).toBe(false);
  });

  it("does not install or run a download whose sha256 differs from the server's", async () => {
    const proxy = await tamperingProxy(new URL(a.baseUrl));
    try {
      const script = await (await fetch(`${proxy.url}/api/agent/install.sh`)).text();
      expect(script).toContain(`SERVER='${proxy.url}'`);
      const file = path.join(home, "install-tampered.sh");
      await writeFile(file, script);
      const bin = path.join(home, "tampered/bin/infra-watch-agent");
      const run = runScript(file, ["--token-file", await tokenFile()], { ...env, IW_INSTALL_BIN: bin, IW_CONFIG: path.join(home, "tampered/agent.json") });
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/checksum mismatch for .*: expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}; not installing it/);
      expect(proxy.tampered()).toBeGreaterThan(0);
      expect(existsSync(bin)).toBe(false);
    } finally {
      await proxy.close();
    }
  });
});

/**
 * The agent's lifecycle against `next start` (issue 16): an old build (version 0.0.1, built here)
 * updates itself to the server's build and keeps its config and spool; tampered downloads and
 * statements leave the old agent; the protocol header is checked; the install script verifies
 * the signed release, enrolls with the token from the environment or stdin, drives systemd
 * through a stub systemctl in a temporary root, and uninstalls.
 *
 * Each agent here reports for a fake host root (its own /etc/machine-id, the real /proc), so it
 * is a new host on the server and never re-enrolls the machine the other agent tests use.
 */
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api } from "../helpers/api";
import { agentEnv, asProcessEnv, isolatedAgent, runAgent, startAgent } from "./agent-process";
import { cuttableProxy } from "./cuttable-proxy";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OLD_VERSION = "0.0.1";
const a = api();
let admin: string;
let home: string;
let env: Record<string, string>;
/** The server's build, as the download route serves it. */
let current: { exe: string; version: string; sha256: string };
/** The same sources built as version 0.0.1. */
let oldExe: string;

const sha256 = async (file: string) => createHash("sha256").update(await readFile(file)).digest("hex");

function buildOld(outDir: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [path.join(ROOT, "scripts/build-agent.mjs"), "--version", OLD_VERSION, "--out-dir", outDir, "--no-arm64", "--no-gzip"], { cwd: ROOT, timeout: 240_000 }, (err, _o, stderr) =>
      err ? reject(new Error(`old build failed: ${stderr}`)) : resolve(),
    ),
  );
}

async function enrollmentToken() {
  const r = await a.post("/api/enrollment-tokens", { ttlHours: 1, maxUses: 1 }, admin);
  expect(r.status).toBe(201);
  return r.body.token as string;
}

/** A host of its own: a root with a fresh machine id and the real /proc. */
async function fakeHostRoot(name: string) {
  const root = path.join(home, `${name}-hostroot`);
  await mkdir(path.join(root, "etc"), { recursive: true });
  await writeFile(path.join(root, "etc/machine-id"), `${createHash("sha256").update(`${name}-${Date.now()}-${Math.random()}`).digest("hex").slice(0, 32)}\n`);
  await symlink("/proc", path.join(root, "proc"));
  return root;
}

/** An old agent alone in a directory, enrolled as a new host; its files and environment. */
async function enrolledOldAgent(name: string) {
  const dir = path.join(home, name);
  await mkdir(path.join(dir, "bin"), { recursive: true });
  const exe = path.join(dir, "bin/infra-watch-agent");
  await copyFile(oldExe, exe);
  await chmod(exe, 0o755);
  const agentEnvironment = { ...env, IW_HOST_ROOT: await fakeHostRoot(name), IW_CONFIG: path.join(dir, "agent.json"), IW_SPOOL: path.join(dir, "spool") };
  const enrolled = await runAgent(exe, ["enroll", "--server", a.baseUrl], { ...agentEnvironment, IW_ENROLL_TOKEN: await enrollmentToken() });
  expect(enrolled.code, enrolled.stderr).toBe(0);
  const config = JSON.parse(await readFile(agentEnvironment.IW_CONFIG, "utf8"));
  return { dir, exe, env: agentEnvironment, config: agentEnvironment.IW_CONFIG, spool: agentEnvironment.IW_SPOOL, hostId: config.hostId as string, agentToken: config.agentToken as string };
}

async function setServer(configFile: string, server: string, drop: string[] = []) {
  const config = JSON.parse(await readFile(configFile, "utf8"));
  for (const key of drop) delete config[key];
  await writeFile(configFile, JSON.stringify({ ...config, server }), { mode: 0o600 });
}

/**
 * An HTTP proxy that hands every response body to `tamper` (uncompressed: it asks upstream for
 * identity) and records the protocol header of every request that came through.
 */
async function tamperingProxy(tamper: (url: URL, body: Buffer) => Buffer | { status: number; body: Buffer }, requestHeaders: Record<string, string> = {}) {
  const target = new URL(a.baseUrl);
  const protocolHeaders: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    protocolHeaders.push(req.headers["x-infra-watch-protocol"] as string | undefined);
    const headers = { ...req.headers, ...requestHeaders };
    delete headers["accept-encoding"];
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      const chunks: Buffer[] = [];
      up.on("data", (c: Buffer) => chunks.push(c));
      up.on("end", () => {
        const changed = tamper(new URL(req.url!, target), Buffer.concat(chunks));
        const { status, body } = Buffer.isBuffer(changed) ? { status: up.statusCode ?? 502, body: changed } : changed;
        const out = { ...up.headers, "content-length": String(body.length) };
        delete out["transfer-encoding"];
        res.writeHead(status, out);
        res.end(body);
      });
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, protocolHeaders, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const isExecutable = (url: URL) => url.pathname === "/api/agent/download" && [...url.searchParams.keys()].every((k) => k === "arch");

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
  const exe = await isolatedAgent();
  const manifest = JSON.parse(await readFile(path.join(ROOT, "dist/agent/manifest.json"), "utf8"));
  current = { exe, version: manifest.version, sha256: await sha256(exe) };
  expect(current.version).not.toBe(OLD_VERSION);
  home = await mkdtemp(path.join(os.tmpdir(), "iw-agent-lifecycle-"));
  env = agentEnv(home);
  await buildOld(path.join(home, "old-build"));
  oldExe = path.join(home, "old-build/infra-watch-agent-linux-x64");
  expect((await runAgent(oldExe, ["--version"], env)).stdout.trim()).toBe(OLD_VERSION);
}, 300_000);

describe("self-update", () => {
  it("`update` replaces an old agent with the server's signed build and keeps its config and spool", async () => {
    const agent = await enrolledOldAgent("manual");
    expect(JSON.parse(await readFile(agent.config, "utf8")).signingKey).toMatch(/BEGIN PUBLIC KEY/);
    const proxy = await cuttableProxy(new URL(a.baseUrl));
    try {
      await setServer(agent.config, proxy.url);
      proxy.cut();
      const offline = await runAgent(agent.exe, ["once"], agent.env);
      expect(offline.code).toBe(1); // nothing delivered: the sample stays in the spool
      const spoolBefore = (await readdir(agent.spool)).filter((n) => n.endsWith(".sample")).sort();
      expect(spoolBefore).toHaveLength(1);
      const configBefore = await readFile(agent.config, "utf8");
      proxy.restore();

      const updated = await runAgent(agent.exe, ["update"], agent.env);
      expect(updated.code, updated.stderr).toBe(0);
      expect(updated.stderr).toContain(`updated ${OLD_VERSION} -> ${current.version}`);
      expect(await sha256(agent.exe)).toBe(current.sha256);
      expect((await stat(agent.exe)).mode & 0o777).toBe(0o755);
      expect(await readdir(path.dirname(agent.exe))).toEqual(["infra-watch-agent"]); // no download left beside it
      expect((await runAgent(agent.exe, ["--version"], agent.env)).stdout.trim()).toBe(current.version);
      expect(await readFile(agent.config, "utf8")).toBe(configBefore);
      expect((await readdir(agent.spool)).filter((n) => n.endsWith(".sample")).sort()).toEqual(spoolBefore);

      const status = await runAgent(agent.exe, ["status"], agent.env);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain(`agent version:   ${current.version}`);
      expect(status.stdout).toMatch(/reachability: +reachable \(health 200/);
      expect(status.stdout).toMatch(/spool depth: +1 samples \(\d+ bytes\), oldest \d{4}-\d\d-\d\dT/);
      expect(status.stdout).toContain(`updated from ${OLD_VERSION}`);

      // The new version delivers what the old one spooled, for the same host.
      const once = await runAgent(agent.exe, ["once"], agent.env);
      expect(once.code, once.stderr).toBe(0);
      expect(once.stderr).toMatch(/delivered 2 samples/);
      const host = (await a.get(`/api/hosts/${agent.hostId}`, admin)).body;
      expect(host.agentVersion).toBe(current.version);
      expect(host.agentUpdateState).toContain(`updated from ${OLD_VERSION}`);
      expect(host.agentSpoolDepth).toBe(2);
      expect((await runAgent(agent.exe, ["update"], agent.env)).stderr).toContain(`${current.version} is the newest agent`);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it("`run --auto-update` installs the version the telemetry answer announces and exits for systemd to restart it", async () => {
    const agent = await enrolledOldAgent("auto");
    const run = startAgent(agent.exe, ["run", "--auto-update", "--interval", "1s"], agent.env);
    const code = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r("timeout"), 90_000))]);
    if (code === "timeout") run.child.kill("SIGKILL");
    expect(code, run.lines.join("\n")).toBe(0);
    expect(run.lines.join("\n")).toContain(`updated ${OLD_VERSION} -> ${current.version}; exiting so the new version starts`);
    expect(await sha256(agent.exe)).toBe(current.sha256);
    const again = startAgent(agent.exe, ["run", "--auto-update", "--interval", "1s"], agent.env);
    try {
      await again.waitFor(/running: host/, 30_000);
      // It reports as the new version and says nothing newer is there.
      const deadline = Date.now() + 30_000;
      let host;
      do {
        await new Promise((r) => setTimeout(r, 500));
        host = (await a.get(`/api/hosts/${agent.hostId}`, admin)).body;
      } while (host.agentVersion !== current.version && Date.now() < deadline);
      expect(host.agentVersion).toBe(current.version);
    } finally {
      again.child.kill("SIGTERM");
      await again.exited;
    }
  }, 180_000);

  it("`once --auto-update` (cron) delivers first, then installs the new version for the next run", async () => {
    const agent = await enrolledOldAgent("cron");
    const once = await runAgent(agent.exe, ["once", "--auto-update"], agent.env);
    expect(once.code, once.stderr).toBe(0);
    expect(once.stderr).toMatch(/delivered 1 samples/);
    expect(once.stderr).toContain(`updated ${OLD_VERSION} -> ${current.version}`);
    expect(await sha256(agent.exe)).toBe(current.sha256);
    const next = await runAgent(agent.exe, ["once", "--auto-update"], agent.env);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toContain("updating");
    expect((await a.get(`/api/hosts/${agent.hostId}`, admin)).body.agentVersion).toBe(current.version);
  }, 120_000);

  it("without --auto-update it only reports that a newer version is available", async () => {
    const agent = await enrolledOldAgent("noauto");
    const first = await runAgent(agent.exe, ["once"], agent.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`agent ${current.version} is available (this is ${OLD_VERSION})`);
    expect(await sha256(agent.exe)).not.toBe(current.sha256);
    const second = await runAgent(agent.exe, ["once"], agent.env);
    expect(second.code, second.stderr).toBe(0);
    const host = (await a.get(`/api/hosts/${agent.hostId}`, admin)).body;
    expect(host.agentVersion).toBe(OLD_VERSION);
    expect(host.agentUpdateState).toContain(`${current.version} available (auto-update off`);
  }, 120_000);

  it("leaves the old agent in place when the download or the signed statement was tampered with, or no key is pinned", async () => {
    const agent = await enrolledOldAgent("tampered");
    const oldSha = await sha256(agent.exe);
    // As a server without the .gz would: 404 for it, then the plain executable, one byte changed.
    const flipByte = await tamperingProxy((url, body) => {
      if (url.searchParams.has("gz")) return { status: 404, body: Buffer.from('{"error":"no gz"}') };
      if (isExecutable(url) && body.length > 1000) body[1000] = body[1000]! ^ 0xff;
      return body;
    });
    const badGzip = await tamperingProxy((url, body) => {
      if (url.searchParams.has("gz") && body.length > 1000) body[1000] = body[1000]! ^ 0xff;
      return body;
    });
    const otherSha = await tamperingProxy((url, body) =>
      url.searchParams.has("release") ? Buffer.from(body.toString().replace(/sha256:[0-9a-f]{64}/, `sha256:${"0".repeat(64)}`)) : body,
    );
    try {
      await setServer(agent.config, flipByte.url);
      const flipped = await runAgent(agent.exe, ["update"], agent.env);
      expect(flipped.code).toBe(1);
      expect(flipped.stderr).toMatch(/update failed, keeping 0\.0\.1: the download's sha256 [0-9a-f]{64} differs from the signed [0-9a-f]{64}; not updating/);
      // Every request of the agent says which protocol it speaks.
      expect(flipByte.protocolHeaders.length).toBeGreaterThanOrEqual(3);
      expect(new Set(flipByte.protocolHeaders)).toEqual(new Set(["1"]));

      await setServer(agent.config, badGzip.url);
      const corrupt = await runAgent(agent.exe, ["update"], agent.env);
      expect(corrupt.code).toBe(1);
      expect(corrupt.stderr).toMatch(/update failed, keeping 0\.0\.1: (download failed|the download's sha256)/);

      await setServer(agent.config, otherSha.url);
      const forged = await runAgent(agent.exe, ["update"], agent.env);
      expect(forged.code).toBe(1);
      expect(forged.stderr).toContain("the release signature does not verify against the key pinned at enrollment");

      await setServer(agent.config, a.baseUrl, ["signingKey"]);
      const unpinned = await runAgent(agent.exe, ["update"], agent.env);
      expect(unpinned.code).toBe(1);
      expect(unpinned.stderr).toContain("no release key pinned");

      expect(await sha256(agent.exe)).toBe(oldSha);
      expect(await readdir(path.dirname(agent.exe))).toEqual(["infra-watch-agent"]);
      expect((await runAgent(agent.exe, ["status"], agent.env)).stdout).toMatch(/update: +update failed at .*: no release key pinned/);
    } finally {
      await flipByte.close();
      await badGzip.close();
      await otherSha.close();
    }
  }, 120_000);
});

describe("protocol version", () => {
  it("refuses an agent protocol the server does not speak with 426, stores nothing and says why on the host page; no header is version 1", async () => {
    const agent = await enrolledOldAgent("protocol");
    const sample = { ts: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(), cpuPct: 1, memPct: 2, diskPct: 3, uptimeS: 4 };
    const post = (headers: Record<string, string>) => a.call("POST", "/api/telemetry", { token: agent.agentToken, body: { samples: [sample] }, headers });
    const tooNew = await post({ "x-infra-watch-protocol": "99" });
    expect(tooNew.status).toBe(426);
    expect(tooNew.body.error).toContain("agent protocol 99 is newer than this server's (protocol 1); upgrade the Infra-Watch server");
    const garbage = await post({ "x-infra-watch-protocol": "v1; drop table" });
    expect(garbage.status).toBe(426);
    let host = (await a.get(`/api/hosts/${agent.hostId}`, admin)).body;
    expect(host.agentNotice).toContain("must be a protocol version number");
    expect(host.latest).toBeNull();
    const enroll = await a.call("POST", "/api/agents/enroll", { body: { token: "x", hostname: "h", machineId: "m" }, headers: { "x-infra-watch-protocol": "0" } });
    expect(enroll.status).toBe(426);
    expect(enroll.body.error).toContain("agent protocol 0 is too old");

    // The agent's side: a server refusing its protocol (here the header is rewritten on the way,
    // as for an agent newer than the server) is logged with the server's message, the sample kept.
    const newer = await tamperingProxy((_url, body) => body, { "x-infra-watch-protocol": "2" });
    try {
      await setServer(agent.config, newer.url);
      const refused = await runAgent(agent.exe, ["once"], agent.env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("HTTP 426: agent protocol 2 is newer than this server's (protocol 1); upgrade the Infra-Watch server");
      expect((await a.get(`/api/hosts/${agent.hostId}`, admin)).body.agentNotice).toContain("agent protocol 2 is newer");
      expect((await runAgent(agent.exe, ["status"], agent.env)).stdout).toMatch(/spool depth: +1 samples/);
    } finally {
      await newer.close();
    }

    const legacy = await post({});
    expect(legacy.status).toBe(202);
    expect(legacy.body).toEqual({ accepted: 1, duplicates: 0 });
    host = (await a.get(`/api/hosts/${agent.hostId}`, admin)).body;
    expect(host.agentNotice).toBeNull();
    expect(host.latest.ts).toBe(sample.ts);
  }, 60_000);
});

/** `sh FILE ARGS` with its stdin given, its output collected. */
function sh(file: string, args: string[], scriptEnv: Record<string, string>, stdin = ""): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", [file, ...args], { env: asProcessEnv(scriptEnv), stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => resolve({ code, output }));
    // A script that refuses before it reads its stdin closes the pipe first: EPIPE is expected then.
    child.stdin.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
    });
    child.stdin.end(stdin);
  });
}

describe("the install script in a temporary root", () => {
  let script: string;
  beforeAll(async () => {
    script = path.join(home, "install.sh");
    await writeFile(script, (await a.get("/api/agent/install.sh")).text);
  });

  /** A root with /run/systemd/system and a systemctl that records what it was asked to do. */
  async function systemdRoot(name: string) {
    const root = path.join(home, `${name}-root`);
    await mkdir(path.join(root, "run/systemd/system"), { recursive: true });
    const systemctl = path.join(home, `${name}-systemctl`);
    const log = path.join(home, `${name}-systemctl.log`);
    await writeFile(systemctl, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n`, { mode: 0o755 });
    const calls = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
    return { root, calls, env: { ...env, IW_INSTALL_ROOT: root, IW_SYSTEMCTL: systemctl, IW_HOST_ROOT: await fakeHostRoot(name) } };
  }

  it("verifies the signed release, installs, enrolls with the token from the environment, sets up the unit, then uninstalls and purges", async () => {
    const { root, calls, env: scriptEnv } = await systemdRoot("install");
    const installed = await sh(script, [], { ...scriptEnv, IW_ENROLL_TOKEN: await enrollmentToken() });
    expect(installed.code, installed.output).toBe(0);
    expect(installed.output).toContain(`infra-watch-agent ${current.version}, signature verified`);
    const bin = path.join(root, "usr/local/bin/infra-watch-agent");
    const config = path.join(root, "etc/infra-watch/agent.json");
    const spool = path.join(root, "var/lib/infra-watch/spool");
    expect(await sha256(bin)).toBe(current.sha256);
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    const unit = await readFile(path.join(root, "etc/systemd/system/infra-watch-agent.service"), "utf8");
    expect(unit).toContain(`ExecStart=${bin} run --auto-update --config ${config} --spool ${spool}`);
    expect(unit).toContain(`ReadWritePaths=${path.dirname(bin)}`);
    expect(calls()).toEqual(["daemon-reload", "enable infra-watch-agent", "restart infra-watch-agent"]);
    // What systemd would start, once by hand: the installed agent reports.
    const once = await runAgent(bin, ["once", "--config", config, "--spool", spool], scriptEnv);
    expect(once.code, once.stderr).toBe(0);

    const removed = await sh(script, ["--uninstall"], scriptEnv);
    expect(removed.code, removed.output).toBe(0);
    expect(calls().slice(3)).toEqual(["stop infra-watch-agent", "disable infra-watch-agent", "daemon-reload"]);
    expect(existsSync(bin)).toBe(false);
    expect(existsSync(path.join(root, "etc/systemd/system/infra-watch-agent.service"))).toBe(false);
    expect(existsSync(config)).toBe(true);
    expect(existsSync(spool)).toBe(true);

    const purged = await sh(script, ["--uninstall", "--purge"], scriptEnv);
    expect(purged.code, purged.output).toBe(0);
    expect(existsSync(config)).toBe(false);
    expect(existsSync(spool)).toBe(false);
  }, 180_000);

  it("takes the token on stdin with --token-stdin and labels with --label, and refuses a token given as an argument", async () => {
    const { root, env: scriptEnv } = await systemdRoot("stdin");
    const token = await enrollmentToken();
    const refused = await sh(script, [token], scriptEnv);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("refusing a token on the command line");
    expect(existsSync(path.join(root, "usr/local/bin/infra-watch-agent"))).toBe(false);
    const badLabel = await sh(script, ["--token-stdin", "--label", "env=pr od"], scriptEnv, `${token}\n`);
    expect(badLabel.code).toBe(1);
    expect(badLabel.output).toContain("--label: 'env=pr od' must be KEY=VALUE");
    const installed = await sh(script, ["--token-stdin", "--label", "env=prod", "--label=gpu"], scriptEnv, `${token}\n`);
    expect(installed.code, installed.output).toBe(0);
    const config = JSON.parse(await readFile(path.join(root, "etc/infra-watch/agent.json"), "utf8"));
    expect(config.hostId).toMatch(/^[0-9a-f-]{36}$/);
    // The install script's labels are the agent's: saved in its config at enrollment.
    expect(config.labels).toEqual({ env: "prod", gpu: "" });
  }, 180_000);

  it("does not install when the release statement does not carry the server's signature", async () => {
    const proxy = await tamperingProxy((url, body) =>
      url.searchParams.has("release") ? Buffer.from(body.toString().replace(/sha256:[0-9a-f]{64}/, `sha256:${"0".repeat(64)}`)) : body,
    );
    try {
      const tamperedScript = path.join(home, "install-through-proxy.sh");
      await writeFile(tamperedScript, await (await fetch(`${proxy.url}/api/agent/install.sh`)).text());
      const { root, calls, env: scriptEnv } = await systemdRoot("forged");
      const run = await sh(tamperedScript, [], { ...scriptEnv, IW_ENROLL_TOKEN: "iwe_unused" });
      expect(run.code).toBe(1);
      expect(run.output).toContain("the release statement's signature does not verify against the server's release key; not installing");
      expect(existsSync(path.join(root, "usr/local/bin/infra-watch-agent"))).toBe(false);
      expect(calls()).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});

// Several copies of a ~90 MB executable: not left in /tmp.
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

/**
 * Builds when sources changed, starts `next start` with a fresh database, and seeds a small
 * fleet through the real HTTP API: enrollment, telemetry (with a reboot), configuration
 * snapshots with drift, users of every role. Tests read what was made from e2e/state.json's
 * location (see ./state.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { startTestServer, type TestServer } from "../tests/helpers/server";
// @ts-expect-error plain .mjs shared with scripts/start.mjs
import { ensureBuilt } from "../scripts/lib/build.mjs";
import { STATE_FILE, type E2EState, type SeededHost } from "./state";

export const SERVER_KEY = Symbol.for("infra-watch.e2e.server");

type Json = Record<string, unknown>;

async function call(baseUrl: string, method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(baseUrl + url, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

async function must(baseUrl: string, method: string, url: string, body: unknown, token: string | undefined, expected: number[]) {
  const r = await call(baseUrl, method, url, body, token);
  if (!expected.includes(r.status)) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function samples(opts: { fromMs: number; toMs: number; everyMs: number; base: { cpu: number; mem: number; disk: number }; rebootAtMs?: number; bootMs: number; rich?: boolean }) {
  const out: Json[] = [];
  let i = 0;
  for (let t = opts.fromMs; t <= opts.toMs; t += opts.everyMs, i++) {
    const boot = opts.rebootAtMs && t >= opts.rebootAtMs ? opts.rebootAtMs : opts.bootMs;
    const wave = Math.sin(i / 9) * 12 + Math.sin(i / 2.7) * 4;
    const s: Json = {
      ts: iso(t),
      cpuPct: Math.max(0, Math.min(100, opts.base.cpu + wave)),
      memPct: Math.max(0, Math.min(100, opts.base.mem + Math.sin(i / 20) * 4)),
      diskPct: opts.base.disk + i * 0.002,
      uptimeS: Math.max(1, (t - boot) / 1000),
    };
    if (opts.rich) {
      Object.assign(s, {
        load1: Math.max(0, 0.8 + wave / 10),
        load5: Math.max(0, 0.7 + wave / 16),
        load15: 0.6,
        swapPct: 3,
        memUsedBytes: 8e9 * (opts.base.mem / 100),
        memTotalBytes: 8e9,
        netRxBps: 120_000 + Math.abs(wave) * 20_000,
        netTxBps: 40_000 + Math.abs(wave) * 8_000,
        procCount: 180 + Math.round(Math.abs(wave) * 2),
        threadCount: 520 + Math.round(Math.abs(wave) * 5),
        cpuTempC: Math.round((48 + wave / 2) * 10) / 10,
        disks: [
          { mount: "/", pct: opts.base.disk, usedBytes: 30e9 * (opts.base.disk / 100), totalBytes: 30e9 },
          { mount: "/var/lib/postgresql", pct: 82, usedBytes: 82e9, totalBytes: 100e9 },
          { mount: "/boot", pct: 24, usedBytes: 0.12e9, totalBytes: 0.5e9 },
        ],
      });
    }
    // The last ten minutes carry container stats, as an agent beside a Docker engine sends them.
    if (opts.rich && t > opts.toMs - 10 * 60_000) s.containers = containersAt(i);
    out.push(s);
  }
  return out;
}

/** Three containers as the agent reports them: a healthy web server, an unhealthy API restarting, a finished job. */
function containersAt(i: number): Json[] {
  return [
    { id: "5b1c0a7d9e2f", name: "web", image: "nginx:1.27-alpine", state: "running", health: "healthy", restartCount: 0, cpuPct: 6 + (i % 3), memBytes: 125_538_304, netRxBytes: 19_391_488 + i * 150_000, netTxBytes: 4_546_064 + i * 60_000 },
    { id: "77aa01b2c3d4", name: "api", image: "registry.example.com/shop/api:2026.12.01", state: "running", health: "unhealthy", restartCount: 4, cpuPct: 142.5, memBytes: 812_000_000, netRxBytes: 1_048_576, netTxBytes: 524_288 },
    { id: "c0ffee123456", name: "migrate", image: "registry.example.com/shop/api:2026.12.01", state: "exited", restartCount: 0 },
  ];
}

async function postSamples(baseUrl: string, agentToken: string, host: Json, all: Json[]) {
  for (let i = 0; i < all.length; i += 1000) {
    await must(baseUrl, "POST", "/api/telemetry", { host, samples: all.slice(i, i + 1000) }, agentToken, [202]);
  }
}

const BASE_PACKAGES = [
  { name: "bash", version: "5.2.15-2+b7", arch: "amd64", manager: "dpkg" },
  { name: "curl", version: "7.88.1-10+deb12u8", arch: "amd64", manager: "dpkg" },
  { name: "libc6", version: "2.36-9+deb12u9", arch: "amd64", manager: "dpkg" },
  { name: "nginx", version: "1.22.1-9", arch: "amd64", manager: "dpkg" },
  { name: "openssl", version: "3.0.15-1~deb12u1", arch: "amd64", manager: "dpkg" },
  { name: "postgresql-15", version: "15.10-0+deb12u1", arch: "amd64", manager: "dpkg" },
  ...Array.from({ length: 60 }, (_, i) => ({ name: `lib-filler-${String(i).padStart(2, "0")}`, version: `1.${i}.0-1`, arch: "amd64", manager: "dpkg" })),
];

export default async function globalSetup() {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!ensureBuilt({ distDir, quiet: false })) throw new Error("next build failed");
  const server: TestServer = await startTestServer({ distDir });
  (globalThis as Record<symbol, unknown>)[SERVER_KEY] = server;
  const { baseUrl } = server;
  try {
    const admin = await must(baseUrl, "POST", "/api/auth/login", { email: server.adminEmail, password: server.adminPassword }, undefined, [200]);
    const adminToken: string = admin.accessToken;
    const users = {
      operator: { email: "operator@example.test", password: "operator-password-1", role: "operator" },
      viewer: { email: "viewer@example.test", password: "viewer-password-12", role: "viewer" },
    };
    for (const u of Object.values(users)) await must(baseUrl, "POST", "/api/users", u, adminToken, [201]);

    const enrollment = await must(baseUrl, "POST", "/api/enrollment-tokens", { ttlHours: 1, maxUses: 50 }, adminToken, [201]);
    const enroll = async (hostname: string) => {
      const r = await must(baseUrl, "POST", "/api/agents/enroll", { token: enrollment.token, hostname, machineId: `machine-${hostname}` }, undefined, [201]);
      return { hostId: r.hostId as string, agentToken: r.agentToken as string };
    };
    const now = Date.now();
    const hosts: Record<string, SeededHost> = {};

    // A host that reports with a 1 s interval once and then goes quiet: "down" 45 s later.
    {
      const h = await enroll("old-01");
      hosts["old-01"] = { id: h.hostId, hostname: "old-01" };
      await postSamples(baseUrl, h.agentToken, { hostname: "old-01", ip: "10.0.3.9", os: "Ubuntu 20.04.6 LTS", kernel: "5.4.0-200-generic", arch: "x64", agentVersion: "0.1.0", intervalS: 1 }, samples({ fromMs: now - 30 * MIN, toMs: now - 1000, everyMs: 2 * MIN, base: { cpu: 5, mem: 30, disk: 50 }, bootMs: now - 40 * 86_400_000 }));
    }
    const downDeadline = Date.now() + 46_000;

    // The richly seeded host: 7 days hourly, 3 h at 30 s, a reboot 100 min ago, three snapshots.
    const web = await enroll("web-01");
    hosts["web-01"] = { id: web.hostId, hostname: "web-01" };
    const webFacts = { hostname: "web-01", ip: "10.0.1.11", os: "Debian GNU/Linux 12 (bookworm)", kernel: "6.1.0-27-amd64", arch: "x64", agentVersion: "0.1.0", intervalS: 3600, updateState: "current (auto-update on)", spoolDepth: 0, labels: { env: "prod", role: "web", gpu: "" } };
    const boot = now - 12 * 86_400_000;
    await postSamples(baseUrl, web.agentToken, webFacts, samples({ fromMs: now - 7 * 86_400_000, toMs: now - 3 * 3_600_000 - MIN, everyMs: 3_600_000, base: { cpu: 25, mem: 45, disk: 61 }, bootMs: boot, rich: true }));
    await postSamples(baseUrl, web.agentToken, webFacts, samples({ fromMs: now - 3 * 3_600_000, toMs: now - 5000, everyMs: 30_000, base: { cpu: 35, mem: 52, disk: 61 }, bootMs: boot, rebootAtMs: now - 100 * MIN, rich: true }));

    const db = await enroll("db-01");
    hosts["db-01"] = { id: db.hostId, hostname: "db-01" };
    await postSamples(baseUrl, db.agentToken, { hostname: "db-01", ip: "10.0.2.5", os: "Rocky Linux 9.4 (Blue Onyx)", kernel: "5.14.0-427.13.1.el9_4.x86_64", arch: "x64", agentVersion: "0.1.0", intervalS: 3600, labels: { env: "prod", role: "db", team: "data" } }, samples({ fromMs: now - 65 * MIN, toMs: now - 5000, everyMs: MIN, base: { cpu: 72, mem: 88, disk: 93 }, bootMs: now - 3 * 86_400_000 }));

    for (let i = 1; i <= 8; i++) {
      const name = `app-${String(i).padStart(2, "0")}`;
      const h = await enroll(name);
      hosts[name] = { id: h.hostId, hostname: name };
      await postSamples(baseUrl, h.agentToken, { hostname: name, ip: `10.0.4.${i}`, os: "Debian GNU/Linux 12 (bookworm)", kernel: "6.1.0-27-amd64", arch: "x64", agentVersion: "0.1.0", intervalS: 3600, labels: { env: i <= 5 ? "staging" : "dev", role: "app", team: i % 2 ? "web" : "data" } }, samples({ fromMs: now - 60 * MIN, toMs: now - 5000, everyMs: 2 * MIN, base: { cpu: 10 + i * 6, mem: 30 + i * 4, disk: 40 + i * 3 }, bootMs: now - i * 86_400_000 }));
    }

    const fresh = await enroll("new-01");
    hosts["new-01"] = { id: fresh.hostId, hostname: "new-01" };

    // Snapshots: the first is the baseline; the second changes packages, env and the kernel; the third adds one package.
    const snapshots: E2EState["snapshots"] = { supported: false, ids: [] };
    const s1 = { ts: iso(now - 55 * MIN), os: webFacts.os, kernel: "6.1.0-26-amd64", packages: BASE_PACKAGES, env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin", LANG: "C.UTF-8", DB_PASSWORD: "redacted:hmac-sha256:3f1a9c0b7e22", APP_ENV: "production" } };
    const first = await call(baseUrl, "POST", "/api/snapshot", s1, web.agentToken);
    if (first.status === 201 || first.status === 200) {
      snapshots.supported = true;
      snapshots.ids.push(first.body.snapshotId);
      const pk2 = BASE_PACKAGES.filter((p) => p.name !== "curl").map((p) => (p.name === "nginx" ? { ...p, version: "1.24.0-2" } : p));
      pk2.push({ name: "htop", version: "3.2.2-2", arch: "amd64", manager: "dpkg" });
      const s2 = { ...s1, ts: iso(now - 35 * MIN), kernel: "6.1.0-27-amd64", packages: pk2, env: { ...s1.env, DB_PASSWORD: "redacted:hmac-sha256:9be04d51aa07", FEATURE_FLAGS: "new-checkout" } };
      const second = await must(baseUrl, "POST", "/api/snapshot", s2, web.agentToken, [201]);
      snapshots.ids.push(second.snapshotId);
      const s3 = { ...s2, ts: iso(now - 15 * MIN), packages: [...pk2, { name: "redis-server", version: "5:7.0.15-1~deb12u1", arch: "amd64", manager: "dpkg" }] };
      const third = await must(baseUrl, "POST", "/api/snapshot", s3, web.agentToken, [201]);
      snapshots.ids.push(third.snapshotId);
    } else {
      console.warn(`[e2e] POST /api/snapshot answered ${first.status}: snapshot tests will be skipped`);
    }

    // Wait until old-01 has been quiet long enough to be "down".
    const wait = downDeadline - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));

    const state: E2EState = {
      baseUrl,
      cronSecret: server.cronSecret,
      users: { admin: { email: server.adminEmail, password: server.adminPassword }, operator: users.operator, viewer: users.viewer },
      hosts,
      snapshots,
    };
    fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
    fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
    process.env.E2E_BASE_URL = baseUrl;
  } catch (err) {
    console.error(server.logs().slice(-4000));
    await server.stop();
    throw err;
  }
}

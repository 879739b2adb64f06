/**
 * Debian's real Prometheus scrapes the test server with an API token, every second, and its
 * HTTP API then answers with the value the agent posted. Prometheus runs on a free port with
 * its configuration and storage in a temp directory, and is stopped at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/server";
import { adminLogin, api, enrolledHost, sample, unique } from "../helpers/api";

const PROMETHEUS = "/usr/bin/prometheus";
const installed = fs.existsSync(PROMETHEUS);
if (!installed) console.warn(`[prometheus.test] SKIPPED: ${PROMETHEUS} is missing (apt-get install -y prometheus; .ci/run installs it)`);

const a = api();
let prom: ChildProcess | undefined;
let promUrl = "";
let promLog = "";
let dir = "";
let host: { hostId: string; agentToken: string; hostname: string };

type Vector = { metric: Record<string, string>; value: [number, string] }[];

async function query(expr: string): Promise<Vector> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; data: { result: Vector } };
  if (body.status !== "success") throw new Error(`prometheus query ${expr}: ${JSON.stringify(body)}`);
  return body.data.result;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${promLog.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe.skipIf(!installed)("Prometheus scrapes /api/prometheus/metrics", () => {
  beforeAll(async () => {
    const admin = (await adminLogin(a)).accessToken;
    host = await enrolledHost(a, admin, unique("prom-host"));
    const posted = await a.call("POST", "/api/telemetry", { token: host.agentToken, body: { host: { hostname: host.hostname }, samples: [sample(1000, { cpuPct: 37.25, memPct: 61.5 })] } });
    expect(posted.status, posted.text).toBe(202);
    const token = await a.post("/api/tokens", { name: "prometheus", role: "viewer" }, admin);
    expect(token.status, token.text).toBe(201);

    dir = fs.mkdtempSync(path.join(os.tmpdir(), "iw-prom-"));
    const target = new URL(a.baseUrl).host;
    const config = [
      "global:",
      "  scrape_interval: 1s",
      "  evaluation_interval: 1s",
      "scrape_configs:",
      "  - job_name: infrawatch",
      "    scrape_interval: 1s",
      "    scrape_timeout: 900ms",
      "    metrics_path: /api/prometheus/metrics",
      "    authorization:",
      "      type: Bearer",
      `      credentials: ${token.body.token}`,
      "    static_configs:",
      `      - targets: ["${target}"]`,
      "",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "prometheus.yml"), config, { mode: 0o600 });
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prom = spawn(PROMETHEUS, [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], { stdio: ["ignore", "pipe", "pipe"] });
    prom.stdout!.on("data", (d) => (promLog += d));
    prom.stderr!.on("data", (d) => (promLog += d));
    await until("prometheus to be ready", async () => ((await fetch(`${promUrl}/-/ready`)).status === 200 ? true : undefined));
  });

  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((r) => prom!.once("exit", r));
      prom.kill("SIGTERM");
      const timer = setTimeout(() => prom!.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("after two successful scrapes, infrawatch_cpu_pct for the host is what the agent posted", async () => {
    // Two scrapes of the target, both up (a refused token would make up 0).
    await until("two successful scrapes", async () => {
      const [r] = await query('sum_over_time(up{job="infrawatch"}[1m])');
      return r && Number(r.value[1]) >= 2 ? r : undefined;
    });
    const cpu = await until("the host's cpu series", async () => {
      const v = await query(`infrawatch_cpu_pct{hostname="${host.hostname}"}`);
      return v.length ? v : undefined;
    });
    expect(cpu).toHaveLength(1);
    expect(cpu[0]!.metric).toMatchObject({ host_id: host.hostId, hostname: host.hostname, job: "infrawatch" });
    expect(Number(cpu[0]!.value[1])).toBe(37.25);
    expect(Number((await query(`infrawatch_mem_pct{hostname="${host.hostname}"}`))[0]!.value[1])).toBe(61.5);
    expect(Number((await query(`infrawatch_host_up{hostname="${host.hostname}"}`))[0]!.value[1])).toBe(1);
    const seen = Number((await query(`infrawatch_host_last_seen_timestamp_seconds{hostname="${host.hostname}"}`))[0]!.value[1]);
    expect(Math.abs(seen - Date.now() / 1000)).toBeLessThan(120);
    // The severities are all there, and the ingest counters parse as counters (at least this test's batch).
    expect((await query("infrawatch_alerts_open")).map((r) => r.metric.severity).sort()).toEqual(["critical", "info", "warning"]);
    const accepted = await query("infrawatch_ingest_samples_accepted_total");
    expect(accepted.length).toBe(1);
    expect(accepted[0]!.metric.server).toMatch(/:\d+$/);
    expect(Number(accepted[0]!.value[1])).toBeGreaterThanOrEqual(1);
  });
});

/** The exposition itself, without Prometheus: escaping of what agents send, and the ingest counters. */
describe("GET /api/prometheus/metrics over HTTP", () => {
  it("escapes label values from agents and counts refused telemetry batches", async () => {
    const admin = (await adminLogin(a)).accessToken;
    const key = (await a.post("/api/tokens", { name: "scrape", role: "viewer" }, admin)).body.token as string;
    const evil = await enrolledHost(a, admin);
    const hostname = `web "1"\\x} 9`;
    expect((await a.call("POST", "/api/telemetry", { token: evil.agentToken, body: { host: { hostname }, samples: [sample(500, { cpuPct: 12.5 })] } })).status).toBe(202);

    const counter = (text: string, name: string) => Number(text.split("\n").find((l) => l.startsWith(name + "{"))!.split(" ").pop());
    const before = (await a.get("/api/prometheus/metrics", key)).text;
    expect((await a.call("POST", "/api/telemetry", { token: evil.agentToken, body: { samples: [{ ...sample(0), cpuPct: 400 }, sample(0)] } })).status).toBe(400);
    const after = (await a.get("/api/prometheus/metrics", key)).text;
    expect(counter(after, "infrawatch_ingest_batches_rejected_total")).toBe(counter(before, "infrawatch_ingest_batches_rejected_total") + 1);
    expect(counter(after, "infrawatch_ingest_samples_rejected_total")).toBe(counter(before, "infrawatch_ingest_samples_rejected_total") + 2);

    expect(after).toContain(`infrawatch_cpu_pct{host_id="${evil.hostId}",hostname="web \\"1\\"\\\\x} 9"} 12.5\n`);
    // Every family announces itself once, with HELP before TYPE.
    const families = [...after.matchAll(/^# TYPE (\S+) (gauge|counter)$/gm)].map((m) => m[1]);
    expect(new Set(families).size).toBe(families.length);
    for (const f of families) expect(after).toMatch(new RegExp(`^# HELP ${f} .+\\n# TYPE ${f} `, "m"));
  });
});

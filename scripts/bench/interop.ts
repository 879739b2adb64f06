/**
 * Interop figures for `npm run bench -- --only interop`: the Prometheus scrape with many hosts,
 * and the streamed export of a month of one host (time, throughput, and how much the server's
 * resident memory grows while it streams: the bound the keyset paging is for).
 */
import fs from "node:fs";
import type { TestServer } from "../../tests/helpers/server";

type Json = (server: TestServer, method: string, url: string, body?: unknown, token?: string) => Promise<{ status: number; body: any }>;

const rssMiB = (pid: number) => {
  const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
};

async function timed(url: string, token: string) {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  let bytes = 0;
  const reader = res.body!.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
  return { status: res.status, ms: performance.now() - t0, bytes };
}

export async function benchInterop(server: TestServer, admin: string, json: Json): Promise<string[]> {
  const HOSTS = 200;
  const t = await json(server, "POST", "/api/enrollment-tokens", { maxUses: HOSTS + 1 }, admin);
  const hosts: { hostId: string; agentToken: string }[] = [];
  for (let i = 0; i < HOSTS; i++) hosts.push((await json(server, "POST", "/api/agents/enroll", { token: t.body.token, hostname: `interop-${i}`, machineId: `interop-${i}-${Date.now()}` })).body);
  for (const [i, h] of hosts.entries()) {
    const r = await json(server, "POST", "/api/telemetry", { samples: [{ ts: new Date().toISOString(), cpuPct: i % 100, memPct: 50, diskPct: 60, uptimeS: 1000, load1: 0.5 }] }, h.agentToken);
    if (r.status !== 202) throw new Error(`telemetry: ${r.status}`);
  }
  const key = (await json(server, "POST", "/api/tokens", { name: "bench", role: "viewer" }, admin)).body.token as string;
  const scrapes: number[] = [];
  let scrapeBytes = 0;
  for (let i = 0; i < 60; i++) {
    const r = await timed(`${server.baseUrl}/api/prometheus/metrics`, key);
    if (r.status !== 200) throw new Error(`scrape: ${r.status}`);
    if (i >= 10) scrapes.push(r.ms);
    scrapeBytes = r.bytes;
  }
  scrapes.sort((a, b) => a - b);

  // A month of one host at the agent's default 15 s: 172,800 rows.
  const STEP_S = 15;
  const rows = (30 * 86_400) / STEP_S;
  const first = Date.now() - rows * STEP_S * 1000;
  const host = hosts[0]!;
  for (let i = 0; i < rows; i += 1000) {
    const samples = Array.from({ length: Math.min(1000, rows - i) }, (_, k) => ({ ts: new Date(first + (i + k) * STEP_S * 1000).toISOString(), cpuPct: (i + k) % 100, memPct: 40, diskPct: 55, uptimeS: i + k, load1: 0.5, swapPct: 1 }));
    const r = await json(server, "POST", "/api/telemetry", { samples }, host.agentToken);
    if (r.status !== 202) throw new Error(`backfill: ${r.status}`);
  }
  const pid = server.process.pid!;
  const exportRows: string[] = [];
  // The same export over 3 and 30 days: memory that grew with the range would show here.
  for (const [format, days] of [["csv", 3], ["csv", 30], ["json", 3], ["json", 30]] as const) {
    const url = `${server.baseUrl}/api/metrics/export?hostId=${host.hostId}&from=-${days}d&to=now&format=${format}`;
    await timed(url, key);
    const before = rssMiB(pid);
    let peak = before;
    const poll = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 20);
    const r = await timed(url, key);
    clearInterval(poll);
    if (r.status !== 200) throw new Error(`export: ${r.status}`);
    const n = Math.min(rows, (days * 86_400) / STEP_S);
    exportRows.push(`| ${format.toUpperCase()}, ${days} days (${n.toLocaleString("en-US")} rows) | ${r.ms.toFixed(0)} ms | ${Math.round(n / (r.ms / 1000)).toLocaleString("en-US")} rows/s | ${(r.bytes / 2 ** 20).toFixed(1)} MiB | +${(peak - before).toFixed(1)} MiB |`);
  }
  const p = (q: number) => scrapes[Math.min(scrapes.length - 1, Math.floor((q / 100) * scrapes.length))]!;
  return [
    "## Interop: Prometheus scrape and export",
    "",
    `\`GET /api/prometheus/metrics\` with ${HOSTS} hosts, each with a latest sample (${(scrapeBytes / 1024).toFixed(0)} KiB of text), 50 sequential scrapes after 10 warm-up: p50 ${p(50).toFixed(1)} ms, p95 ${p(95).toFixed(1)} ms.`,
    "",
    `\`GET /api/metrics/export\` of one host sampled every ${STEP_S} s, read by one client as fast as it can (second run; RSS growth is the server process's peak VmRSS during the download minus before it; it includes garbage not yet collected):`,
    "",
    "| export | time | throughput | size | server RSS growth |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...exportRows,
    "",
  ];
}

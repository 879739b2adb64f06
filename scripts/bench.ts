/**
 * `npm run bench [-- --db postgres|pglite] [--seconds N] [--load-seconds N] [--only ingest,metrics,load,interop,diff,procstore,agent,alerts,collect,lighthouse] [--pooler pgbouncer] [--workers N] [--out FILE]`
 * Starts the production server against the chosen database (PostgreSQL: a fresh database on
 * DATABASE_URL or the local server, which may be TimescaleDB or a pooler's URL; PGlite: a fresh
 * data directory) and measures, in one run:
 *   - single-sample telemetry posts/s and latency at 32 concurrent clients
 *   - samples/s in 1000-sample batches, against direct postgres.js `unnest` and COPY (the ceiling)
 *   - /api/metrics latency for 24 h / 7 d / 30 d of one host at 60 s resolution, after a 30-day
 *     backfill through the API (on TimescaleDB: once the late data is materialized)
 *   - 8 clients posting 1000-sample batches for 8 hosts: every answer must be a 2xx
 *   - the Prometheus scrape with 200 hosts and the streamed 30-day export (scripts/bench/interop.ts)
 *   - the other sections in scripts/bench/ (snapshot diff, processes' storage per host-day, agent, alert evaluation, the agent's process counts, Lighthouse)
 * and writes the tables to BENCHMARKS.md with the machine and the command.
 * `--pooler pgbouncer` puts a PgBouncer (transaction mode, tests/helpers/pgbouncer.ts) between the
 * server and PostgreSQL, with IW_DB_POOLER=transaction, and writes BENCHMARKS-pgbouncer.md.
 * `--workers N` starts the server through `npm start`'s launcher with IW_WORKERS=N (without it:
 * one `next start` process).
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import postgres from "postgres";
import { openDatabase } from "../lib/db/client";
import { MetricsQuerySchema, resolveMetricsRange } from "../lib/metrics/query-input";
import { queryMetrics } from "../lib/queries/metrics";
import { startTestServer, type TestServer } from "../tests/helpers/server";
import { createTestDatabase } from "../tests/helpers/database";
import { startPgBouncer } from "../tests/helpers/pgbouncer";
import { json } from "./bench/http";
// @ts-expect-error plain .mjs shared with scripts/start.mjs
import { ensureBuilt } from "./lib/build.mjs";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const dbKind = opt("db", "postgres") as "postgres" | "pglite";
const seconds = Number(opt("seconds", "10"));
const loadSeconds = Number(opt("load-seconds", "30"));
const only = new Set(opt("only", "ingest,metrics,load,interop,diff,procstore,agent,alerts,collect,lighthouse").split(","));
const PG_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const viaPgBouncer = opt("pooler", "none") === "pgbouncer";
const workers = opt("workers", "");

const execFileAsync = promisify(execFile);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");


async function enroll(server: TestServer, admin: string, n: number) {
  const t = await json(server, "POST", "/api/enrollment-tokens", { maxUses: n + 1 }, admin);
  const hosts: { hostId: string; agentToken: string }[] = [];
  for (let i = 0; i < n; i++) hosts.push((await json(server, "POST", "/api/agents/enroll", { token: t.body.token, hostname: `bench-${i}`, machineId: `bench-${i}-${Date.now()}` })).body);
  return hosts;
}

/** Runs `clients` loops for `durationS`, each calling `once(clientIndex, iteration)`; returns latencies. */
async function load(clients: number, durationS: number, once: (c: number, i: number) => Promise<void>) {
  const latencies: number[] = [];
  const deadline = performance.now() + durationS * 1000;
  let errors = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        try {
          await once(c, i);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { latencies: latencies.sort((x, y) => x - y), errors, durationS };
}

function sampleAt(ms: number, i: number) {
  return { ts: new Date(ms).toISOString(), cpuPct: i % 100, memPct: 40 + (i % 50), diskPct: 55, uptimeS: 1000 + i, load1: 0.5, swapPct: 1 };
}

function hasWrk(): boolean {
  return spawnSync("wrk", ["--version"], { encoding: "utf8" }).error === undefined;
}

/**
 * wrk (C, from Debian's packages) costs the shared cores far less than a Node client does.
 * Spawned asynchronously: a blocked event loop would let this process's kept-alive sockets die.
 */
async function wrkSingleSamples(server: TestServer, tokens: string[]) {
  const script = path.join(os.tmpdir(), `iw-bench-${process.pid}.lua`);
  fs.writeFileSync(
    script,
    `local tokens = {${tokens.map((t) => `"${t}"`).join(",")}}
local start = ${Date.now() - 3_000_000}
local counter, id, errors = 0, 0, 0
function setup(thread) id = id + 1; thread:set("tid", id) end
function init(args) token = tokens[tid] end
function request()
  counter = counter + 1
  local t = start + counter * 10
  local ts = os.date("!%Y-%m-%dT%H:%M:%S", math.floor(t / 1000)) .. string.format(".%03dZ", t % 1000)
  local body = '{"ts":"' .. ts .. '","cpuPct":12.5,"memPct":40,"diskPct":55,"uptimeS":1000,"load1":0.5}'
  return wrk.format("POST", "/api/telemetry", {["content-type"] = "application/json", ["authorization"] = "Bearer " .. token}, body)
end`,
  );
  const r = await execFileAsync("wrk", [`-t${tokens.length}`, `-c${tokens.length}`, `-d${seconds}s`, "--latency", "-s", script, server.baseUrl], { encoding: "utf8" });
  fs.rmSync(script, { force: true });
  const toMs = (v: string, unit: string) => Number(v) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);
  const latency = (p: string) => {
    const m = r.stdout.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`));
    return m ? toMs(m[1]!, m[2]!) : NaN;
  };
  const non2xx = Number(r.stdout.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  return { rate: Number(r.stdout.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN), p50: latency("50"), p99: latency("99"), errors: non2xx, client: "wrk" };
}

async function nodeSingleSamples(server: TestServer, tokens: string[]) {
  const base = Date.now() - 3600_000;
  const single = await load(tokens.length, seconds, async (c, i) => {
    const r = await fetch(`${server.baseUrl}/api/telemetry`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens[c]!}` },
      body: JSON.stringify(sampleAt(base + i * 10, i)),
    });
    await r.arrayBuffer();
    if (r.status !== 202) throw new Error(String(r.status));
  });
  return { rate: single.latencies.length / single.durationS, p50: pct(single.latencies, 50), p99: pct(single.latencies, 99), errors: single.errors, client: "Node fetch" };
}

async function benchIngest(server: TestServer, admin: string, sql: postgres.Sql | null): Promise<string[]> {
  const out: string[] = ["## Telemetry ingestion", ""];
  // Single-sample posts, 32 clients, each its own host and its own timestamps.
  const tokens = (await enroll(server, admin, 32)).map((h) => h.agentToken);
  const single = hasWrk() ? await wrkSingleSamples(server, tokens) : await nodeSingleSamples(server, tokens);
  out.push(
    "| measure | value |",
    "| --- | --- |",
    `| single-sample posts/s (32 concurrent clients, ${seconds} s, ${single.client}) | ${fmt(single.rate)} |`,
    `| latency p50 / p99 | ${ms(single.p50)} / ${ms(single.p99)} |`,
    `| errors | ${single.errors} |`,
  );

  // 1000-sample batches, 4 clients.
  const batchHosts = await enroll(server, admin, 4);
  const batchBase = Date.now() - 80 * 86_400_000;
  const bodies = (c: number, i: number) => JSON.stringify({ samples: Array.from({ length: 1000 }, (_, k) => sampleAt(batchBase + (i * 1000 + k) * 1000, k)) });
  const batches = await load(4, seconds, async (c, i) => {
    const r = await fetch(`${server.baseUrl}/api/telemetry`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${batchHosts[c]!.agentToken}` },
      body: bodies(c, i),
    });
    const b = (await r.json()) as { accepted: number };
    if (r.status !== 202 || b.accepted !== 1000) throw new Error(String(r.status));
  });
  const apiRate = (batches.latencies.length * 1000) / batches.durationS;
  out.push(`| samples/s via the API in 1000-sample batches (4 clients) | ${fmt(apiRate)} |`, `| batch latency p50 / p99 | ${ms(pct(batches.latencies, 50))} / ${ms(pct(batches.latencies, 99))} |`);

  if (sql) {
    // The ceiling: the same rows straight into PostgreSQL from this process.
    const directHost = (await sql<{ id: string }[]>`insert into hosts (machine_id, hostname) values (${"direct-" + Date.now()}, 'direct') returning id`)[0]!.id;
    const t0 = Date.now() - 70 * 86_400_000;
    let n = 0;
    const unnest = await load(4, seconds, async (c, i) => {
      const start = t0 + (c * 1e7 + i * 1000) * 1000;
      const ts = Array.from({ length: 1000 }, (_, k) => new Date(start + k * 1000).toISOString());
      const v = Array.from({ length: 1000 }, (_, k) => k % 100);
      await sql`insert into metrics (host_id, ts, cpu_pct, mem_pct, disk_pct, uptime_s, load1, swap_pct)
        select ${directHost}::uuid, * from unnest(${ts}::timestamptz[], ${v}::float8[], ${v}::float8[], ${v}::float8[], ${v}::float8[], ${v}::float8[], ${v}::float8[])
        on conflict do nothing`;
      n += 1000;
    });
    const unnestRate = n / unnest.durationS;
    // COPY cannot skip conflicts, so it goes into metrics for a host of its own.
    const copyHost = (await sql<{ id: string }[]>`insert into hosts (machine_id, hostname) values (${"copy-" + Date.now()}, 'copy') returning id`)[0]!.id;
    const rowsCopy = 200_000;
    const c0 = performance.now();
    const stream = await sql`copy metrics (host_id, ts, cpu_pct, mem_pct, disk_pct, uptime_s) from stdin`.writable();
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < rowsCopy; i += 1000) {
            let chunk = "";
            for (let k = i; k < i + 1000; k++) chunk += `${copyHost}\t${new Date(t0 - k * 1000).toISOString()}\t${k % 100}\t50\t60\t${k}\n`;
            yield chunk;
          }
        })(),
      ),
      stream,
    );
    const copyRate = rowsCopy / ((performance.now() - c0) / 1000);
    out.push(
      `| direct postgres.js, one \`unnest\` INSERT per 1000 rows (4 connections) | ${fmt(unnestRate)} |`,
      `| direct COPY (one stream, 200,000 rows) | ${fmt(copyRate)} |`,
      `| API batches as a share of direct \`unnest\` | ${((apiRate / unnestRate) * 100).toFixed(0)} % |`,
    );
  }
  out.push("");
  return out;
}

async function benchMetrics(server: TestServer, admin: string, sql: postgres.Sql | null, url: string | undefined): Promise<string[]> {
  const [host] = await enroll(server, admin, 1);
  const now = Date.now();
  const rows = 30 * 1440;
  const first = now - rows * 60_000;
  // Through the API, as an agent replaying a month would: on TimescaleDB this is late data the
  // refresh policy never covers, so the chart is fast only if the server materializes it.
  for (let i = 0; i < rows; i += 1000) {
    const samples = Array.from({ length: Math.min(1000, rows - i) }, (_, k) => sampleAt(first + (i + k) * 60_000, i + k));
    const r = await json(server, "POST", "/api/telemetry", { samples }, host!.agentToken);
    if (r.status !== 202) throw new Error(`backfill: ${r.status}`);
  }
  let materializedNote = "";
  if (sql) {
    await sql`analyze metrics`;
    const [cagg] = await sql<{ name: string }[]>`select format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name) as name
      from timescaledb_information.continuous_aggregates where view_name = 'metrics_5m'`.catch(() => []);
    if (cagg) {
      // Older than the policy window: all but the last 3 days, in 5-minute buckets.
      const expected = Math.floor(((30 - 3) * 86_400_000) / 300_000) - 12;
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < 120_000) {
        n = Number((await sql.unsafe(`select count(*)::int as n from ${cagg.name} where host_id = $1`, [host!.hostId]))[0]!.n);
        if (n >= expected) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const waited = ((performance.now() - t0) / 1000).toFixed(1);
      materializedNote =
        n >= expected
          ? ` The backfill was materialized by the server's late-data refresh ${waited} s after the last batch (${fmt(n)} 5-minute buckets).`
          : ` The backfill was NOT materialized within ${waited} s (${fmt(n)} of ${fmt(expected)} 5-minute buckets).`;
      // The last 3 days are the refresh policies' (every 5 minutes): run them once now, as they
      // would run within 5 minutes, so the chart is measured in the steady state, not in the
      // minutes after a backfill when the real-time part still aggregates 3 days of raw rows.
      const jobs = await sql<{ job_id: number }[]>`select job_id from timescaledb_information.jobs
        where proc_name = 'policy_refresh_continuous_aggregate' order by hypertable_name = 'metrics_1h', job_id`;
      for (const j of jobs) await sql`call run_job(${j.job_id})`;
      if (jobs.length) materializedNote += ` The refresh policies were then run once (\`call run_job\`), as they run every 5 minutes.`;
      await sql`analyze`;
    }
  }
  // The query alone: the server's own queryMetrics on a second handle to the same database
  // (PostgreSQL only: PGlite has one opener), to tell the database's part from the HTTP path's.
  const direct = url ? await openDatabase({ kind: "postgres", url, retentionDays: 90, timescale: "auto", max: 2 }) : null;
  const timed = async (n: number, fn: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    return times.sort((x, y) => x - y);
  };
  // The floor of any request in the same minutes: GET /api/health (no auth, one `select 1`).
  const health = await timed(50, () => json(server, "GET", "/api/health"));
  const out = [
    "## Chart queries",
    "",
    `One host with 30 days at 60 s resolution (${fmt(rows)} rows, backfilled through the API), \`points=300\`, 50 sequential requests each.${materializedNote}` +
      ` "Query" is the server's own \`queryMetrics\` called in the benchmark process on the same database (no HTTP, auth or host check).` +
      ` Reference in the same run: \`GET /api/health\` p50 ${ms(pct(health, 50))}, p95 ${ms(pct(health, 95))}.`,
    "",
    "| range | HTTP p50 | HTTP p95 | query p50 | query p95 | points | step |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const [label, from] of [
    ["24 h", "-24h"],
    ["7 d", "-7d"],
    ["30 d", "-30d"],
  ] as const) {
    let last: { series: unknown[]; stepSeconds: number; source: string } | undefined;
    const times = await timed(50, async () => {
      last = (await json(server, "GET", `/api/metrics?hostId=${host!.hostId}&from=${from}&to=now&points=300`, undefined, admin)).body;
    });
    let query = "n/a | n/a";
    if (direct) {
      const range = resolveMetricsRange(MetricsQuerySchema.parse({ hostId: host!.hostId, from, to: "now", points: 300 }), Date.now(), { retentionDays: 90 });
      const q = await timed(50, () => queryMetrics(direct, range));
      query = `${ms(pct(q, 50))} | ${ms(pct(q, 95))}`;
    }
    out.push(`| ${label} | ${ms(pct(times, 50))} | ${ms(pct(times, 95))} | ${query} | ${last?.series.length} | ${last?.stepSeconds} s (${last?.source}) |`);
  }
  await direct?.close();
  out.push("");
  return out;
}

/** The deadlock check: concurrent 1000-sample batches for different hosts must all answer 2xx. */
async function benchBatchLoad(server: TestServer, admin: string): Promise<string[]> {
  const clients = 8;
  const hosts = await enroll(server, admin, clients);
  const base = Date.now() - 60 * 86_400_000;
  const statuses = new Map<number, number>();
  let samples = 0;
  const run = await load(clients, loadSeconds, async (c, i) => {
    const body = JSON.stringify({ samples: Array.from({ length: 1000 }, (_, k) => sampleAt(base + (i * 1000 + k) * 1000, k)) });
    const r = await fetch(`${server.baseUrl}/api/telemetry`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${hosts[c]!.agentToken}` },
      body,
    });
    await r.arrayBuffer();
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    if (r.status === 202) samples += 1000;
  });
  const non2xx = [...statuses].filter(([s]) => s < 200 || s > 299).reduce((a, [, n]) => a + n, 0);
  return [
    "## Concurrent batches",
    "",
    `${clients} clients, each posting 1000-sample batches for its own host, for ${loadSeconds} s. Goal: only 2xx (no \`deadlock detected\` 500s).`,
    "",
    "| measure | value |",
    "| --- | --- |",
    `| batches answered | ${fmt(run.latencies.length)} (${[...statuses].map(([s, n]) => `${n} × ${s}`).join(", ")}) |`,
    `| non-2xx answers / client errors | ${non2xx} / ${run.errors} |`,
    `| samples/s stored | ${fmt(samples / run.durationS)} |`,
    `| batch latency p50 / p99 | ${ms(pct(run.latencies, 50))} / ${ms(pct(run.latencies, 99))} |`,
    "",
  ];
}

async function optionalSection(file: string, fn: string): Promise<string[]> {
  const full = path.join(import.meta.dirname, "bench", file);
  if (!fs.existsSync(full)) return [];
  const mod = (await import(full)) as Record<string, () => Promise<string>>;
  return [await mod[fn]!(), ""];
}

async function main() {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!ensureBuilt({ quiet: true, distDir })) throw new Error("next build failed");
  const database = dbKind === "postgres" ? await createTestDatabaseAt(PG_URL) : { url: undefined, drop: async () => {} };
  // The server goes through the pooler; the direct comparisons below stay direct.
  const pooler = viaPgBouncer && database.url ? await startPgBouncer(PG_URL) : null;
  const serverDatabase = pooler ? { url: pooler.via(database.url!), drop: async () => {} } : database;
  const server = await startTestServer({
    database: serverDatabase,
    distDir,
    launcher: workers !== "",
    env: { IW_ALERT_INTERVAL_S: "0", ...(pooler ? { IW_DB_POOLER: "transaction" } : {}), ...(workers ? { IW_WORKERS: workers } : {}) },
  });
  const sql = database.url ? postgres(database.url, { max: 4, onnotice: () => {} }) : null;
  const sections: string[] = [];
  const timescale = sql ? ((await sql`select extversion from pg_extension where extname = 'timescaledb'`)[0]?.extversion as string | undefined) : undefined;
  const [{ server_version: pgVersion } = { server_version: "?" }] = sql ? await sql<{ server_version: string }[]>`show server_version` : [];
  const dbLabel = dbKind === "pglite" ? "embedded PGlite" : `PostgreSQL ${pgVersion}${timescale ? ` with TimescaleDB ${timescale}` : ""} (fresh database)`;
  try {
    const admin = (await json(server, "POST", "/api/auth/login", { email: server.adminEmail, password: server.adminPassword })).body.accessToken as string;
    if (only.has("ingest")) sections.push(...(await benchIngest(server, admin, sql)));
    if (only.has("metrics")) sections.push(...(await benchMetrics(server, admin, sql, database.url)));
    if (only.has("load")) sections.push(...(await benchBatchLoad(server, admin)));
    if (only.has("interop")) {
      const { benchInterop } = await import("./bench/interop");
      sections.push(...(await benchInterop(server, admin, json)));
    }
  } catch (err) {
    console.error(server.logs().slice(-4000));
    throw err;
  } finally {
    await sql?.end();
    await server.stop();
    await pooler?.stop();
    await database.drop();
  }
  if (only.has("diff")) sections.push(...(await optionalSection("diff.ts", "benchDiff")));
  if (only.has("procstore")) sections.push(...(await optionalSection("process-storage.ts", "benchProcessStorage")));
  if (only.has("alerts")) sections.push(...(await optionalSection("alerts.ts", "benchAlerts")));
  if (only.has("agent")) sections.push(...(await optionalSection("agent.ts", "benchAgent")));
  if (only.has("collect")) sections.push(...(await optionalSection("collect.ts", "benchCollect")));
  if (only.has("lighthouse")) sections.push(...(await optionalSection("lighthouse.ts", "benchLighthouse")));

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const header = [
    "# Benchmarks",
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, database: ${dbLabel}${pooler ? ", the server through PgBouncer in transaction mode" : ""}, ${workers ? `${workers} server process(es) (IW_WORKERS)` : "one `next start` process"}.`,
    "The load generator runs on the same 2 cores as the server and the database, so every figure is a floor.",
    "",
    `Command: \`npm run bench -- ${args.join(" ") || "--db postgres"}\``,
    "",
  ];
  const text = [...header, ...sections].join("\n");
  const file = path.resolve(opt("out", path.join(import.meta.dirname, "..", dbKind === "postgres" ? (pooler ? "BENCHMARKS-pgbouncer.md" : "BENCHMARKS.md") : "BENCHMARKS-pglite.md")));
  fs.writeFileSync(file, text + "\n");
  console.log(text);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

async function createTestDatabaseAt(url: string) {
  process.env.DATABASE_URL = url;
  return createTestDatabase("iw_bench");
}

await main();

/**
 * Storage cost of processes per host-day for `npm run bench` (issue 13): one host, 15 s interval
 * (5,760 samples), 10 processes per sample shaped like the agent's, written through the real
 * group writer; pg_total_relation_size of process_samples (table, TOAST and indexes) against
 * metrics for the same samples. PostgreSQL only (DATABASE_URL or the local server); runs alone
 * with `node --import tsx scripts/bench/process-storage.ts`.
 */
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../lib/db/client";
import { rows } from "../../lib/db/sql";
import { hosts } from "../../lib/db/schema";
import { recordTelemetry } from "../../lib/services/telemetry";
import type { ProcessInfo, Sample } from "../../lib/protocol";
import { createTestDatabase } from "../../tests/helpers/database";

const INTERVAL_S = 15;
const PER_DAY = 86_400 / INTERVAL_S;
const NAMES = ["postgres", "nginx", "node", "java", "sshd", "systemd-journald", "containerd", "dockerd", "python3", "redis-server", "cron", "rsyslogd"];
const CMDLINES: Record<string, string> = {
  postgres: "postgres: 15/main: checkpointer",
  nginx: "nginx: worker process",
  node: "/usr/bin/node /srv/app/server.js --port 3000",
  java: "/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Xms512m -Xmx2g -jar /opt/app/app.jar --spring.profiles.active=prod",
  python3: "/usr/bin/python3 /opt/worker/main.py --queue default --concurrency 4",
};

function processesAt(i: number): ProcessInfo[] {
  return Array.from({ length: 10 }, (_, k) => {
    const name = NAMES[(k + (i % 3)) % NAMES.length]!;
    return {
      pid: 400 + k * 97,
      name,
      user: k % 3 === 0 ? "postgres" : "root",
      cpuPct: Math.round((((i * 7 + k * 13) % 400) / 10) * 10) / 10,
      rssBytes: 20_000_000 + ((i * 4096 + k * 1_000_000) % 500_000_000),
      state: k === 0 ? "R" : "S",
      startedAt: "2026-12-01T08:00:00.000Z",
      cmdline: CMDLINES[name] ?? `/usr/sbin/${name}`,
    };
  });
}

export async function benchProcessStorage(): Promise<string> {
  const created = await createTestDatabase("iw_bench_proc");
  if (!created.url) return "## Processes: storage per host-day\n\nSkipped: needs PostgreSQL (DATABASE_URL).\n";
  const database = await openDatabase({ kind: "postgres", url: created.url, retentionDays: 90, timescale: "off", max: 4 });
  try {
    const db = database.db;
    const [host] = await db.insert(hosts).values({ machineId: "bench-proc", hostname: "bench-proc" }).returning({ id: hosts.id });
    const start = Date.now() - 86_400_000;
    const samples: Sample[] = Array.from({ length: PER_DAY }, (_, i) => ({
      ts: new Date(start + i * INTERVAL_S * 1000).toISOString(),
      cpuPct: (i * 7) % 100,
      memPct: 40,
      diskPct: 55,
      uptimeS: 3600 + i * INTERVAL_S,
      processes: processesAt(i),
    }));
    for (let i = 0; i < samples.length; i += 500) {
      await recordTelemetry(db, { hostId: host!.id, batch: { samples: samples.slice(i, i + 500) }, nowMs: Date.now(), retentionDays: 90 });
    }
    await db.execute(sql`vacuum analyze process_samples`);
    await db.execute(sql`vacuum analyze metrics`);
    const [size] = await rows<{ proc: string; proc_heap: string; proc_toast: string; proc_idx: string; metrics: string; n: string }>(
      db,
      sql`select pg_total_relation_size('process_samples')::text as proc,
        pg_relation_size('process_samples')::text as proc_heap,
        (pg_total_relation_size('process_samples') - pg_relation_size('process_samples') - pg_indexes_size('process_samples'))::text as proc_toast,
        pg_indexes_size('process_samples')::text as proc_idx,
        pg_total_relation_size('metrics')::text as metrics,
        (select count(*) from process_samples)::text as n`,
    );
    const mib = (b: string) => `${(Number(b) / 1024 / 1024).toFixed(2)} MiB`;
    const jsonBytes = samples.reduce((n, s) => n + JSON.stringify(s.processes).length, 0);
    return [
      "## Processes: storage per host-day",
      "",
      `One host, ${PER_DAY.toLocaleString("en-US")} samples (15 s), 10 processes each (name, user, CPU, RSS, state, start, command line up to ~110 characters), written through the ingest group writer; PostgreSQL, plain tables, after VACUUM ANALYZE.`,
      "",
      "| relation | size per host-day | per sample |",
      "| --- | --- | --- |",
      `| process_samples total (heap ${mib(size!.proc_heap)}, TOAST ${mib(size!.proc_toast)}, indexes ${mib(size!.proc_idx)}) | ${mib(size!.proc)} | ${Math.round(Number(size!.proc) / Number(size!.n))} B |`,
      `| metrics, same samples (for scale) | ${mib(size!.metrics)} | ${Math.round(Number(size!.metrics) / PER_DAY)} B |`,
      `| the processes as JSON text | ${mib(String(jsonBytes))} | ${Math.round(jsonBytes / PER_DAY)} B |`,
      "",
      `At the default 90-day retention: ${((Number(size!.proc) * 90) / 1024 / 1024 / 1024).toFixed(2)} GiB of process_samples per host. A separate table keeps the metrics rows the charts scan as narrow as before; on TimescaleDB process_samples is a hypertable with the same compression (segment by host) and retention as metrics (not measured here).`,
      "",
    ].join("\n");
  } finally {
    await database.close();
    await created.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchProcessStorage());
}

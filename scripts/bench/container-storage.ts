/**
 * Storage cost of container stats per host-day for `npm run bench` (issue 13): one host, 15 s
 * interval (5,760 samples), 10 containers per sample shaped like the agent's (8 running with
 * stats, 2 exited), written through the real group writer; pg_total_relation_size of
 * container_samples (table, TOAST and indexes) against metrics for the same samples.
 * PostgreSQL only (DATABASE_URL or the local server); runs alone with
 * `node --import tsx scripts/bench/container-storage.ts`.
 */
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../lib/db/client";
import { rows } from "../../lib/db/sql";
import { hosts } from "../../lib/db/schema";
import { recordTelemetry } from "../../lib/services/telemetry";
import type { ContainerStats, Sample } from "../../lib/protocol";
import { createTestDatabase } from "../../tests/helpers/database";

const INTERVAL_S = 15;
const PER_DAY = 86_400 / INTERVAL_S;
const CONTAINERS = [
  ["web", "nginx:1.27-alpine"],
  ["api", "registry.example.com/shop/api:2026.12.01-3f9c2e1"],
  ["worker", "registry.example.com/shop/worker:2026.12.01-3f9c2e1"],
  ["db", "postgres:16.6"],
  ["cache", "redis:7.4-alpine"],
  ["queue", "rabbitmq:3.13-management"],
  ["proxy", "traefik:v3.2"],
  ["metrics", "prom/node-exporter:v1.8.2"],
  ["migrate", "registry.example.com/shop/api:2026.12.01-3f9c2e1"],
  ["backup-2026-12-05", "restic/restic:0.17.3"],
] as const;

function containersAt(i: number): ContainerStats[] {
  return CONTAINERS.map(([name, image], k): ContainerStats => {
    const id = (k.toString(16) + "5b1c0a7d9e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b").slice(0, 64);
    if (k >= 8) return { id, name, image, state: "exited", restartCount: 0 };
    return {
      id,
      name,
      image,
      state: "running",
      ...(k < 4 ? { health: "healthy" as const } : {}),
      restartCount: k === 2 ? 3 : 0,
      cpuPct: Math.round(((i * 7 + k * 13) % 4000) / 10) / 10,
      memBytes: 50_000_000 + ((i * 4096 + k * 7_000_000) % 900_000_000),
      netRxBytes: 1_000_000_000 + i * 150_000 * (k + 1),
      netTxBytes: 400_000_000 + i * 60_000 * (k + 1),
    };
  });
}

export async function benchContainerStorage(): Promise<string> {
  const created = await createTestDatabase("iw_bench_ctr");
  if (!created.url) return "## Containers: storage per host-day\n\nSkipped: needs PostgreSQL (DATABASE_URL).\n";
  const database = await openDatabase({ kind: "postgres", url: created.url, retentionDays: 90, timescale: "off", max: 4 });
  try {
    const db = database.db;
    const [host] = await db.insert(hosts).values({ machineId: "bench-ctr", hostname: "bench-ctr" }).returning({ id: hosts.id });
    const start = Date.now() - 86_400_000;
    const samples: Sample[] = Array.from({ length: PER_DAY }, (_, i) => ({
      ts: new Date(start + i * INTERVAL_S * 1000).toISOString(),
      cpuPct: (i * 7) % 100,
      memPct: 40,
      diskPct: 55,
      uptimeS: 3600 + i * INTERVAL_S,
      containers: containersAt(i),
    }));
    for (let i = 0; i < samples.length; i += 250) {
      await recordTelemetry(db, { hostId: host!.id, batch: { samples: samples.slice(i, i + 250) }, nowMs: Date.now(), retentionDays: 90 });
    }
    await db.execute(sql`vacuum analyze container_samples`);
    await db.execute(sql`vacuum analyze metrics`);
    const [size] = await rows<{ total: string; heap: string; toast: string; idx: string; metrics: string; n: string }>(
      db,
      sql`select pg_total_relation_size('container_samples')::text as total,
        pg_relation_size('container_samples')::text as heap,
        (pg_total_relation_size('container_samples') - pg_relation_size('container_samples') - pg_indexes_size('container_samples'))::text as toast,
        pg_indexes_size('container_samples')::text as idx,
        pg_total_relation_size('metrics')::text as metrics,
        (select count(*) from container_samples)::text as n`,
    );
    const mib = (b: string) => `${(Number(b) / 1024 / 1024).toFixed(2)} MiB`;
    const jsonBytes = samples.reduce((n, s) => n + JSON.stringify(s.containers).length, 0);
    return [
      "## Containers: storage per host-day",
      "",
      `One host, ${PER_DAY.toLocaleString("en-US")} samples (15 s), 10 containers each (8 running with CPU, memory, network and restart count, 4 of them with health; 2 exited), written through the ingest group writer; PostgreSQL, plain tables, after VACUUM ANALYZE.`,
      "",
      "| relation | size per host-day | per sample |",
      "| --- | --- | --- |",
      `| container_samples total (heap ${mib(size!.heap)}, TOAST ${mib(size!.toast)}, indexes ${mib(size!.idx)}) | ${mib(size!.total)} | ${Math.round(Number(size!.total) / Number(size!.n))} B |`,
      `| metrics, same samples (for scale) | ${mib(size!.metrics)} | ${Math.round(Number(size!.metrics) / PER_DAY)} B |`,
      `| the containers as JSON text | ${mib(String(jsonBytes))} | ${Math.round(jsonBytes / PER_DAY)} B |`,
      "",
      `At the default 90-day retention: ${((Number(size!.total) * 90) / 1024 / 1024 / 1024).toFixed(2)} GiB of container_samples per host with 10 containers; a host without containers stores no rows.`,
      "",
    ].join("\n");
  } finally {
    await database.close();
    await created.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchContainerStorage());
}

/**
 * Storage cost of container stats per host-day for `npm run bench` (issue 13): one host, 15 s
 * interval (5,760 samples), 10 containers per sample shaped like the agent's (8 running with
 * stats, 2 exited), written through the real group writer; pg_total_relation_size of
 * container_samples (table, TOAST and indexes) against metrics for the same samples.
 * PostgreSQL only (DATABASE_URL or the local server); runs alone with
 * `node --import tsx scripts/bench/container-storage.ts`.
 */
import { pathToFileURL } from "node:url";
import type { ContainerStats } from "../../lib/protocol";
import { benchListStorage } from "./sample-list-storage";

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

export const benchContainerStorage = () =>
  benchListStorage({
    title: "Containers: storage per host-day",
    table: "container_samples",
    field: "containers",
    what: "10 containers each (8 running with CPU, memory, network and restart count, 4 of them with health; 2 exited)",
    batch: 250,
    listAt: containersAt,
    footnote: (gib) => `At the default 90-day retention: ${gib} GiB of container_samples per host with 10 containers; a host without containers stores no rows.`,
  });

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchContainerStorage());
}

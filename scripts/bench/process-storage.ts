/**
 * Storage cost of processes per host-day for `npm run bench` (issue 13): one host, 15 s interval
 * (5,760 samples), 10 processes per sample shaped like the agent's, written through the real
 * group writer; pg_total_relation_size of process_samples (table, TOAST and indexes) against
 * metrics for the same samples. PostgreSQL only (DATABASE_URL or the local server); runs alone
 * with `node --import tsx scripts/bench/process-storage.ts`.
 */
import { pathToFileURL } from "node:url";
import type { ProcessInfo } from "../../lib/protocol";
import { benchListStorage } from "./sample-list-storage";

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

export const benchProcessStorage = () =>
  benchListStorage({
    title: "Processes: storage per host-day",
    table: "process_samples",
    field: "processes",
    what: "10 processes each (name, user, CPU, RSS, state, start, command line up to ~110 characters)",
    batch: 500,
    listAt: processesAt,
    footnote: (gib) =>
      `At the default 90-day retention: ${gib} GiB of process_samples per host. A separate table keeps the metrics rows the charts scan as narrow as before; on TimescaleDB process_samples is a hypertable with the same compression (segment by host) and retention as metrics (not measured here).`,
  });

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchProcessStorage());
}

/**
 * Storage cost per host-day of a list stored beside each sample (process_samples,
 * container_samples), for `npm run bench`: one host, 15 s interval (5,760 samples), each sample
 * carrying the list `listAt(i)` builds, written through the real group writer; then
 * pg_total_relation_size of the table (heap, TOAST and indexes) against metrics for the same
 * samples. PostgreSQL only (DATABASE_URL or the local server).
 */
import { sql } from "drizzle-orm";
import { openDatabase } from "../../lib/db/client";
import { rows } from "../../lib/db/sql";
import { hosts } from "../../lib/db/schema";
import { recordTelemetry } from "../../lib/services/telemetry";
import type { Sample } from "../../lib/protocol";
import { createTestDatabase } from "../../tests/helpers/database";

export const INTERVAL_S = 15;
export const PER_DAY = 86_400 / INTERVAL_S;

export interface ListStorageCase {
  /** The section heading, e.g. "Processes: storage per host-day". */
  title: string;
  table: "process_samples" | "container_samples";
  field: "processes" | "containers";
  /** What one sample carries, for the text: "10 processes each (name, user, ...)". */
  what: string;
  /** Samples per posted batch: the body limit is 1 MiB. */
  batch: number;
  listAt: (i: number) => NonNullable<Sample["processes"] | Sample["containers"]>;
  /** The closing sentence, given the 90-day total in GiB. */
  footnote: (gib90: string) => string;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

export async function benchListStorage(c: ListStorageCase): Promise<string> {
  const created = await createTestDatabase(`iw_bench_${c.field}`);
  if (!created.url) return `## ${c.title}\n\nSkipped: needs PostgreSQL (DATABASE_URL).\n`;
  const database = await openDatabase({ kind: "postgres", url: created.url, retentionDays: 90, timescale: "off", max: 4 });
  try {
    const db = database.db;
    const [host] = await db.insert(hosts).values({ machineId: `bench-${c.field}`, hostname: `bench-${c.field}` }).returning({ id: hosts.id });
    const start = Date.now() - 86_400_000;
    const samples: Sample[] = Array.from({ length: PER_DAY }, (_, i) => ({
      ts: new Date(start + i * INTERVAL_S * 1000).toISOString(),
      cpuPct: (i * 7) % 100,
      memPct: 40,
      diskPct: 55,
      uptimeS: 3600 + i * INTERVAL_S,
      [c.field]: c.listAt(i),
    }));
    for (let i = 0; i < samples.length; i += c.batch) {
      await recordTelemetry(db, { hostId: host!.id, batch: { samples: samples.slice(i, i + c.batch) }, nowMs: Date.now(), retentionDays: 90 });
    }
    const table = sql.raw(c.table);
    await db.execute(sql`vacuum analyze ${table}`);
    await db.execute(sql`vacuum analyze metrics`);
    const [size] = await rows<{ total: string; heap: string; idx: string; metrics: string; n: string }>(
      db,
      sql`select pg_total_relation_size(${c.table})::text as total, pg_relation_size(${c.table})::text as heap,
        pg_indexes_size(${c.table})::text as idx, pg_total_relation_size('metrics')::text as metrics,
        (select count(*) from ${table})::text as n`,
    );
    const [total, heap, idx, metrics, n] = [size!.total, size!.heap, size!.idx, size!.metrics, size!.n].map(Number) as [number, number, number, number, number];
    const jsonBytes = samples.reduce((sum, s) => sum + JSON.stringify(s[c.field]).length, 0);
    return [
      `## ${c.title}`,
      "",
      `One host, ${PER_DAY.toLocaleString("en-US")} samples (15 s), ${c.what}, written through the ingest group writer; PostgreSQL, plain tables, after VACUUM ANALYZE.`,
      "",
      "| relation | size per host-day | per sample |",
      "| --- | --- | --- |",
      `| ${c.table} total (heap ${mib(heap)}, TOAST ${mib(total - heap - idx)}, indexes ${mib(idx)}) | ${mib(total)} | ${Math.round(total / n)} B |`,
      `| metrics, same samples (for scale) | ${mib(metrics)} | ${Math.round(metrics / PER_DAY)} B |`,
      `| the ${c.field} as JSON text | ${mib(jsonBytes)} | ${Math.round(jsonBytes / PER_DAY)} B |`,
      "",
      c.footnote(((total * 90) / 1024 / 1024 / 1024).toFixed(2)),
      "",
    ].join("\n");
  } finally {
    await database.close();
    await created.drop();
  }
}

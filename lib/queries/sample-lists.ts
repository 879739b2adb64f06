/**
 * The lists stored beside each sample (process_samples, container_samples): one sample's list
 * at a time, the one nearest a moment. Both tables are `(host_id, ts, <list> jsonb)` with that
 * primary key, so one read serves both.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";

/** `?at=ISO`: the moment asked about; absent, the newest sample. */
export const SampleListQuerySchema = z.object({
  at: z.iso.datetime({ offset: true, message: "must be an ISO 8601 timestamp" }).optional(),
});

/** The tables of lists stored with samples, and their list column. */
const TABLES = { processes: "process_samples", containers: "container_samples" } as const;
export type SampleList = keyof typeof TABLES;

type Row = { ts: Date | string; list: unknown };

/**
 * The stored sample nearest `atMs` (default: the newest), `ts` null when the host has stored
 * none. Two index probes on the primary key (the last at or before, the first after); the
 * closer wins, ties to the earlier one: what the host ran just before the moment asked about.
 */
export async function sampleListAt<T>(db: Db, list: SampleList, args: { hostId: string; atMs?: number }): Promise<{ ts: string | null; items: T[] }> {
  const table = sql.raw(TABLES[list]);
  const column = sql.raw(list);
  const select = sql`select ts, ${column} as list from ${table} where host_id = ${args.hostId}`;
  const found =
    args.atMs === undefined
      ? await rows<Row>(db, sql`${select} order by ts desc limit 1`)
      : await rows<Row>(
          db,
          sql`(${select} and ts <= ${new Date(args.atMs).toISOString()}::timestamptz order by ts desc limit 1)
            union all
            (${select} and ts > ${new Date(args.atMs).toISOString()}::timestamptz order by ts asc limit 1)`,
        );
  if (found.length === 0) return { ts: null, items: [] };
  const at = args.atMs ?? 0;
  const distance = (r: Row) => Math.abs(new Date(r.ts).getTime() - at);
  const nearest = found.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  return { ts: new Date(nearest.ts).toISOString(), items: (typeof nearest.list === "string" ? JSON.parse(nearest.list) : nearest.list) as T[] };
}

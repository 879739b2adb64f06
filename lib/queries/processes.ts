/** The top processes stored with each sample (process_samples): one sample's list at a time. */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { isoString } from "@/lib/wire";
import { ProcessSchema, type ProcessInfo } from "@/lib/protocol";

export const ProcessesQuerySchema = z.object({
  at: z.iso.datetime({ offset: true, message: "must be an ISO 8601 timestamp" }).optional(),
});

/** `ts` is the stored sample's time, null when the host has sent no processes yet. */
export const ProcessesResponseSchema = z.object({ ts: isoString.nullable(), processes: z.array(ProcessSchema) });
export type ProcessesAt = z.infer<typeof ProcessesResponseSchema>;

type Row = { ts: Date | string; processes: ProcessInfo[] | string };
const toResult = (r: Row): ProcessesAt => ({ ts: new Date(r.ts).toISOString(), processes: typeof r.processes === "string" ? (JSON.parse(r.processes) as ProcessInfo[]) : r.processes });

/**
 * The stored sample nearest `atMs` (default: the newest). Two index probes on the primary key
 * (the last at or before, the first after) and the closer wins, ties to the earlier one: what
 * the host was running just before the moment asked about.
 */
export async function processesAt(db: Db, args: { hostId: string; atMs?: number }): Promise<ProcessesAt> {
  if (args.atMs === undefined) {
    const [latest] = await rows<Row>(db, sql`select ts, processes from process_samples where host_id = ${args.hostId} order by ts desc limit 1`);
    return latest ? toResult(latest) : { ts: null, processes: [] };
  }
  const at = new Date(args.atMs).toISOString();
  const found = await rows<Row>(
    db,
    sql`(select ts, processes from process_samples where host_id = ${args.hostId} and ts <= ${at}::timestamptz order by ts desc limit 1)
      union all
      (select ts, processes from process_samples where host_id = ${args.hostId} and ts > ${at}::timestamptz order by ts asc limit 1)`,
  );
  if (found.length === 0) return { ts: null, processes: [] };
  const distance = (r: ProcessesAt) => Math.abs(Date.parse(r.ts!) - args.atMs!);
  return found.map(toResult).reduce((a, b) => (distance(b) < distance(a) ? b : a));
}

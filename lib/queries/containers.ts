/** The container stats stored with samples (container_samples): one sample's list at a time. */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { ContainerStatsSchema, type ContainerStats } from "@/lib/protocol";
import { isoString } from "@/lib/wire";

export const ContainersQuerySchema = z.object({
  at: z.iso.datetime({ offset: true, message: "must be an ISO 8601 timestamp" }).optional(),
});

/** `ts` is the stored sample's time, null when the host has sent no container stats yet. */
export const ContainersResponseSchema = z.object({ ts: isoString.nullable(), containers: z.array(ContainerStatsSchema) });
export type ContainersAt = z.infer<typeof ContainersResponseSchema>;

type Row = { ts: Date | string; containers: ContainerStats[] | string };
const toResult = (r: Row): ContainersAt => ({
  ts: new Date(r.ts).toISOString(),
  containers: typeof r.containers === "string" ? (JSON.parse(r.containers) as ContainerStats[]) : r.containers,
});

/**
 * The stored sample nearest `atMs` (default: the newest). Two probes on the primary key (the
 * last at or before, the first after); the closer wins, ties to the earlier one.
 */
export async function containersAt(db: Db, args: { hostId: string; atMs?: number }): Promise<ContainersAt> {
  if (args.atMs === undefined) {
    const [latest] = await rows<Row>(db, sql`select ts, containers from container_samples where host_id = ${args.hostId} order by ts desc limit 1`);
    return latest ? toResult(latest) : { ts: null, containers: [] };
  }
  const at = new Date(args.atMs).toISOString();
  const found = await rows<Row>(
    db,
    sql`(select ts, containers from container_samples where host_id = ${args.hostId} and ts <= ${at}::timestamptz order by ts desc limit 1)
      union all
      (select ts, containers from container_samples where host_id = ${args.hostId} and ts > ${at}::timestamptz order by ts asc limit 1)`,
  );
  if (found.length === 0) return { ts: null, containers: [] };
  const distance = (r: ContainersAt) => Math.abs(Date.parse(r.ts!) - args.atMs!);
  return found.map(toResult).reduce((a, b) => (distance(b) < distance(a) ? b : a));
}

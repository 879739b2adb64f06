/**
 * The overview's sparklines: the last hour of CPU, memory and disk for every host in one
 * grouped scan (500 hosts in one query rather than 500 /api/metrics calls). Every host shares
 * one bucket grid, so the answer carries the grid once and per host only whole-percent values
 * (null where a bucket is empty): ~1/3 of the size of per-host timestamps and decimals.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { BUCKET_ORIGIN } from "@/lib/db/timescale";
import { alignDown } from "@/lib/metrics/range";

export type SparklineGrid = { fromMs: number; stepS: number; buckets: number };
const bucketValues = z.array(z.number().nullable());
export const HostSparklineSchema = z.object({ cpu: bucketValues, mem: bucketValues, disk: bucketValues });
export type HostSparkline = z.infer<typeof HostSparklineSchema>;
/** `hosts` is keyed by host id; every array has `buckets` entries starting at `fromMs`. */
export const SparklinesSchema = z.object({ fromMs: z.number(), stepS: z.number(), buckets: z.number().int(), hosts: z.record(z.string(), HostSparklineSchema) });
export type Sparklines = z.infer<typeof SparklinesSchema>;

export const SPARKLINE_STEP_S = 120;

export const SparklinesQuerySchema = z.object({
  windowMinutes: z.coerce.number().int().min(5).max(360).default(60),
});

type Row = { host_id: string; b: Date | string; cpu: number | string; mem: number | string; disk: number | string };

export async function hostSparklines(db: Db, opts: { nowMs?: number; windowMs?: number; stepS?: number } = {}): Promise<Sparklines> {
  const now = opts.nowMs ?? Date.now();
  const stepS = opts.stepS ?? SPARKLINE_STEP_S;
  const fromMs = alignDown(now - (opts.windowMs ?? 3_600_000), stepS);
  const buckets = Math.floor((now - fromMs) / (stepS * 1000)) + 1;
  const origin = sql.raw(`timestamptz '${BUCKET_ORIGIN}'`);
  const result = await rows<Row>(
    db,
    sql`select host_id, date_bin(${stepS}::int * interval '1 second', ts, ${origin}) as b,
          avg(cpu_pct) as cpu, avg(mem_pct) as mem, avg(disk_pct) as disk
        from metrics where ts >= ${new Date(fromMs).toISOString()}::timestamptz and ts <= ${new Date(now).toISOString()}::timestamptz
        group by host_id, b`,
  );
  const hosts: Record<string, HostSparkline> = {};
  for (const r of result) {
    const i = Math.round((new Date(r.b).getTime() - fromMs) / (stepS * 1000));
    if (i < 0 || i >= buckets) continue;
    const s = (hosts[r.host_id] ??= { cpu: Array(buckets).fill(null), mem: Array(buckets).fill(null), disk: Array(buckets).fill(null) });
    s.cpu[i] = Math.round(Number(r.cpu));
    s.mem[i] = Math.round(Number(r.mem));
    s.disk[i] = Math.round(Number(r.disk));
  }
  return { fromMs, stepS, buckets, hosts };
}

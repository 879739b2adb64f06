/**
 * The overview's sparklines: the last hour of CPU, memory and disk for every host in one
 * grouped scan (500 hosts in one query rather than 500 /api/metrics calls).
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { BUCKET_ORIGIN } from "@/lib/db/timescale";
import { alignDown } from "@/lib/metrics/range";

export type Sparkline = { t: number[]; cpu: number[]; mem: number[]; disk: number[] };

export const SPARKLINE_WINDOW_MS = 3_600_000;
export const SPARKLINE_STEP_S = 120;

export const SparklinesQuerySchema = z.object({
  windowMinutes: z.coerce.number().int().min(5).max(360).default(60),
});

type Row = { host_id: string; b: Date | string; cpu: number | string; mem: number | string; disk: number | string };

export async function hostSparklines(db: Db, opts: { nowMs?: number; windowMs?: number; stepS?: number } = {}): Promise<Record<string, Sparkline>> {
  const now = opts.nowMs ?? Date.now();
  const stepS = opts.stepS ?? SPARKLINE_STEP_S;
  const from = new Date(alignDown(now - (opts.windowMs ?? SPARKLINE_WINDOW_MS), stepS));
  const origin = sql.raw(`timestamptz '${BUCKET_ORIGIN}'`);
  const result = await rows<Row>(
    db,
    sql`select host_id, date_bin(${stepS}::int * interval '1 second', ts, ${origin}) as b,
          avg(cpu_pct) as cpu, avg(mem_pct) as mem, avg(disk_pct) as disk
        from metrics where ts >= ${from} and ts <= ${new Date(now)}
        group by host_id, b order by host_id, b`,
  );
  const out: Record<string, Sparkline> = {};
  for (const r of result) {
    const s = (out[r.host_id] ??= { t: [], cpu: [], mem: [], disk: [] });
    s.t.push(new Date(r.b).getTime());
    s.cpu.push(Math.round(Number(r.cpu) * 10) / 10);
    s.mem.push(Math.round(Number(r.mem) * 10) / 10);
    s.disk.push(Math.round(Number(r.disk) * 10) / 10);
  }
  return out;
}

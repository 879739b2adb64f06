/** Per-mount disk usage from the host's newest sample that carried it (the chart series hold only the overall %). */
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import type { DiskUsage } from "@/lib/protocol";

export async function latestDiskUsage(db: Db, hostId: string): Promise<{ ts: string; disks: DiskUsage[] } | null> {
  const [row] = await rows<{ ts: Date | string; disks: DiskUsage[] | string }>(
    db,
    sql`select ts, disks from metrics where host_id = ${hostId}::uuid and disks is not null
        and ts > now() - interval '1 day' order by ts desc limit 1`,
  );
  if (!row) return null;
  const disks = typeof row.disks === "string" ? (JSON.parse(row.disks) as DiskUsage[]) : row.disks;
  return { ts: new Date(row.ts).toISOString(), disks: [...disks].sort((a, b) => a.mount.localeCompare(b.mount)) };
}

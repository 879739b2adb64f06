/** Reads for maintenance windows: the list with each window's current or next period, and the hosts in maintenance now. */
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { hosts, maintenanceWindows, users } from "@/lib/db/schema";
import { openMaintenance, windowPeriod } from "@/lib/alerts/maintenance";
import { wireDate } from "@/lib/wire";

export const MaintenanceWindowSchema = z.object({
  id: z.string(),
  name: z.string(),
  hostId: z.string().nullable(),
  hostname: z.string().nullable(),
  selector: z.string().nullable(),
  startsAt: wireDate.nullable(),
  endsAt: wireDate.nullable(),
  cron: z.string().nullable(),
  timezone: z.string().nullable(),
  durationSeconds: z.number().int().nullable(),
  createdBy: z.string().nullable(),
  createdByEmail: z.string().nullable(),
  createdAt: wireDate,
  /** Open now. */
  active: z.boolean(),
  /** The current period if open, else the next one; null: over (one-off) or never again. */
  periodStart: wireDate.nullable(),
  periodEnd: wireDate.nullable(),
});
export const MaintenanceListSchema = z.object({
  windows: z.array(MaintenanceWindowSchema),
  /** Ids of the hosts an open window covers now (the overview's badge). */
  hostsInMaintenance: z.array(z.string()),
});

export const MaintenanceQuerySchema = z.object({ scope: z.enum(["current", "all"]).default("current") });

const columns = {
  id: maintenanceWindows.id,
  name: maintenanceWindows.name,
  hostId: maintenanceWindows.hostId,
  hostname: hosts.hostname,
  selector: maintenanceWindows.selector,
  startsAt: maintenanceWindows.startsAt,
  endsAt: maintenanceWindows.endsAt,
  cron: maintenanceWindows.cron,
  timezone: maintenanceWindows.timezone,
  durationSeconds: maintenanceWindows.durationSeconds,
  createdBy: maintenanceWindows.createdBy,
  createdByEmail: users.email,
  createdAt: maintenanceWindows.createdAt,
};

/** Windows are few (people make them): read them all, decide periods in code. `current`: open now or still to come. */
export async function listMaintenanceWindows(db: Db, args: { scope?: "current" | "all"; now?: Date; id?: string } = {}) {
  const now = args.now ?? new Date();
  const stored = await db
    .select(columns)
    .from(maintenanceWindows)
    .leftJoin(hosts, eq(hosts.id, maintenanceWindows.hostId))
    .leftJoin(users, eq(users.id, maintenanceWindows.createdBy))
    .where(args.id ? eq(maintenanceWindows.id, args.id) : undefined)
    .orderBy(desc(maintenanceWindows.createdAt), desc(maintenanceWindows.id));
  const out = stored.map((w) => {
    const period = windowPeriod(w, now);
    return { ...w, active: period?.open === true, periodStart: period?.start ?? null, periodEnd: period?.end ?? null };
  });
  return (args.scope ?? "current") === "all" ? out : out.filter((w) => w.periodStart !== null);
}

export async function getMaintenanceWindow(db: Db, id: string) {
  const [w] = await listMaintenanceWindows(db, { scope: "all", id });
  return w ?? null;
}

/** Ids of the hosts an open window covers now, for the overview's badge. */
export async function hostsInMaintenance(db: Db, now: Date = new Date()): Promise<Set<string>> {
  const windows = await db.select().from(maintenanceWindows);
  const covers = openMaintenance(windows, now);
  const out = new Set<string>();
  if (windows.length === 0) return out;
  for (const h of await db.select({ id: hosts.id, labels: hosts.labels }).from(hosts)) if (covers(h)) out.add(h.id);
  return out;
}

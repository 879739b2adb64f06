import { and, desc, eq, gte, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { isoString } from "@/lib/wire";
import { HardwareItemSchema, InventorySectionsShape, PackageSchema, SnapshotContainerSchema, SnapshotDiffSchema } from "@/lib/protocol";
import type { SnapshotContent } from "@/lib/snapshots/diff";
import { LIST_SECTIONS, type SectionsContent } from "@/lib/snapshots/sections";

const DRIFT_SECTION_KEYS = [...LIST_SECTIONS, "sysctl", "kernelCmdline"];
import { hosts, snapshotDiffs, snapshots } from "@/lib/db/schema";
import { invalidInput, notFound } from "@/lib/errors";
import { NO_CONFIGURATION, diffSnapshots } from "@/lib/snapshots/diff";

export const SnapshotListItemSchema = z.object({
  id: z.string(),
  ts: isoString,
  changed: z.boolean(),
  summary: z.string(),
  kernel: z.string().nullable(),
  os: z.string().nullable(),
  packageCount: z.number().int(),
  envCount: z.number().int(),
  lastSeenAt: isoString,
});
export type SnapshotListItem = z.infer<typeof SnapshotListItemSchema>;
export const SnapshotListSchema = z.object({ snapshots: z.array(SnapshotListItemSchema), nextCursor: z.string().nullable() });

export const SnapshotDetailSchema = z.object({
  id: z.string(),
  hostId: z.string(),
  ts: isoString,
  os: z.string().nullable(),
  kernel: z.string().nullable(),
  packages: z.array(PackageSchema),
  env: z.record(z.string(), z.string()),
  summary: z.string(),
  /** The inventory sections the agent sent (absent ones were not collected). */
  sections: z.object({ ...InventorySectionsShape, containers: z.array(SnapshotContainerSchema).optional(), hardware: z.array(HardwareItemSchema).optional() }),
});

/** A stored snapshot row as the differ reads it: its inventory sections beside packages and env. */
export const contentOf = (row: SnapshotContent & { sections?: SectionsContent | null }): SnapshotContent => ({ ...row, ...(row.sections ?? {}) });

export const FleetDriftSchema = z.object({
  since: isoString,
  hosts: z.array(
    z.object({
      hostId: z.string(),
      hostname: z.string(),
      changes: z.number().int(),
      lastChangedAt: isoString,
      /** `sections`: the inventory sections the change touched (ports, services, ...), for the panel's tags. */
      recent: z.array(z.object({ snapshotId: z.string(), ts: isoString, summary: z.string(), sections: z.array(z.string()) })),
    }),
  ),
});

/** Newest first, paged by a (ts, id) cursor so pages stay stable while new snapshots arrive. */
export async function listSnapshots(db: Db, args: { hostId: string; limit: number; before?: { ts: string; id: string } }) {
  const cursor = args.before
    ? or(lt(snapshots.ts, new Date(args.before.ts)), and(eq(snapshots.ts, new Date(args.before.ts)), lt(snapshots.id, args.before.id)))
    : undefined;
  const found = await db
    .select({
      id: snapshots.id,
      ts: snapshots.ts,
      summary: snapshots.summary,
      kernel: snapshots.kernel,
      os: snapshots.os,
      packageCount: snapshots.packageCount,
      envCount: snapshots.envCount,
      lastSeenAt: snapshots.lastSeenAt,
      // Spelled out: drizzle renders a column of the outer table unqualified here, which the subquery would capture.
      changed: sql<boolean>`exists (select 1 from snapshot_diffs d where d.snapshot_id = "snapshots"."id")`,
    })
    .from(snapshots)
    .where(and(eq(snapshots.hostId, args.hostId), cursor))
    .orderBy(desc(snapshots.ts), desc(snapshots.id))
    .limit(args.limit + 1);
  const page = found.slice(0, args.limit);
  const items: SnapshotListItem[] = page.map((s) => ({ ...s, ts: s.ts.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), changed: Boolean(s.changed) }));
  const last = page.at(-1);
  return { snapshots: items, nextCursor: found.length > args.limit && last ? `${last.ts.toISOString()}_${last.id}` : null };
}

export async function getSnapshot(db: Db, id: string) {
  const [s] = await db.select().from(snapshots).where(eq(snapshots.id, id));
  if (!s) return null;
  return { id: s.id, hostId: s.hostId, ts: s.ts.toISOString(), os: s.os, kernel: s.kernel, packages: s.packages, env: s.env, summary: s.summary, sections: s.sections ?? {} };
}

export async function latestSnapshot(db: Db, hostId: string) {
  const [s] = await db.select().from(snapshots).where(eq(snapshots.hostId, hostId)).orderBy(desc(snapshots.ts), desc(snapshots.receivedAt)).limit(1);
  return s ?? null;
}

/** Hosts whose configuration changed since `since`, each with its changes newest first. */
export async function fleetDrift(db: Db, args: { sinceMs: number; perHost: number }) {
  const found = await db
    .select({
      hostId: snapshotDiffs.hostId,
      hostname: hosts.hostname,
      snapshotId: snapshotDiffs.snapshotId,
      ts: snapshots.ts,
      summary: snapshotDiffs.summary,
      // A diff lists only the sections that changed (lib/snapshots/sections.ts), so its keys say which.
      sections: sql<string[] | string>`(select coalesce(jsonb_agg(k order by k), '[]'::jsonb) from jsonb_object_keys(${snapshotDiffs.diff}) k where k in (${sql.join(
        DRIFT_SECTION_KEYS.map((k) => sql`${k}`),
        sql`, `,
      )}))`,
    })
    .from(snapshotDiffs)
    .innerJoin(hosts, eq(hosts.id, snapshotDiffs.hostId))
    .innerJoin(snapshots, eq(snapshots.id, snapshotDiffs.snapshotId))
    .where(gte(snapshotDiffs.createdAt, new Date(args.sinceMs)))
    .orderBy(desc(snapshots.ts));
  const byHost = new Map<string, { hostId: string; hostname: string; changes: number; lastChangedAt: string; recent: { snapshotId: string; ts: string; summary: string; sections: string[] }[] }>();
  for (const r of found) {
    let h = byHost.get(r.hostId);
    if (!h) byHost.set(r.hostId, (h = { hostId: r.hostId, hostname: r.hostname, changes: 0, lastChangedAt: r.ts.toISOString(), recent: [] }));
    h.changes++;
    if (h.recent.length < args.perHost) {
      const sections = typeof r.sections === "string" ? (JSON.parse(r.sections) as string[]) : r.sections;
      h.recent.push({ snapshotId: r.snapshotId, ts: r.ts.toISOString(), summary: r.summary, sections });
    }
  }
  return [...byHost.values()];
}

const snapshotRef = z.object({ id: z.string(), ts: isoString });
/** GET /api/snapshots/:id/diff: `from` is null for a host's first snapshot (diffed against nothing). */
export const SnapshotDiffResponseSchema = z.object({ diff: SnapshotDiffSchema, from: snapshotRef.nullable(), to: snapshotRef });

/** The diff of `snapshotId` against its predecessor (stored) or another snapshot of the same host (computed). */
export async function snapshotDiff(db: Db, snapshotId: string, against: "previous" | string) {
  const [target] = await db.select().from(snapshots).where(eq(snapshots.id, snapshotId));
  if (!target) throw notFound("snapshot");
  if (against === "previous") {
    const [stored] = await db.select().from(snapshotDiffs).where(eq(snapshotDiffs.snapshotId, snapshotId));
    if (stored) {
      const [prev] = await db.select({ id: snapshots.id, ts: snapshots.ts }).from(snapshots).where(eq(snapshots.id, stored.previousId!));
      return { diff: stored.diff, from: prev ? { id: prev.id, ts: prev.ts.toISOString() } : null, to: { id: target.id, ts: target.ts.toISOString() } };
    }
    return { diff: diffSnapshots(NO_CONFIGURATION, contentOf(target)), from: null, to: { id: target.id, ts: target.ts.toISOString() } };
  }
  const [other] = await db.select().from(snapshots).where(and(eq(snapshots.id, against)));
  if (!other) throw notFound("snapshot to compare against");
  if (other.hostId !== target.hostId) throw invalidInput([{ path: "against", message: "must be a snapshot of the same host" }]);
  return { diff: diffSnapshots(contentOf(other), contentOf(target)), from: { id: other.id, ts: other.ts.toISOString() }, to: { id: target.id, ts: target.ts.toISOString() } };
}

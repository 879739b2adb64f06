/**
 * Snapshot ingestion and the drift record. An upload equal to the host's last configuration
 * (same canonical hash, whatever the order) stores nothing new: it only bumps last-seen. A
 * changed one stores the snapshot and its diff against the last, in one transaction, so
 * storage grows with changes, not with uploads. A host's first snapshot is a baseline, not
 * drift: it gets no diff row (drift rules and markers start from the second).
 */
import { createHmac } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { contentOf } from "@/lib/queries/snapshots";
import { unauthorized } from "@/lib/errors";
import { hosts, snapshotDiffs, snapshots } from "@/lib/db/schema";
import { REDACTED_PREFIX, hardwareItems, type Snapshot, type SnapshotResponse } from "@/lib/protocol";
import { needsRedaction } from "@/lib/protocol/redaction";
import { NO_CONFIGURATION, canonicalSnapshotHash, diffSnapshots, summarizeDiff, summarizeFirst } from "@/lib/snapshots/diff";
import { hasSections, type SectionsContent } from "@/lib/snapshots/sections";

/** The inventory sections of an upload, as stored in `snapshots.sections` (absent ones stay absent). */
export function sectionsOf(snapshot: Snapshot & { containers?: SectionsContent["containers"] }): SectionsContent {
  const out: SectionsContent = {};
  if (snapshot.ports) out.ports = snapshot.ports;
  if (snapshot.users) out.users = snapshot.users;
  if (snapshot.groups) out.groups = snapshot.groups;
  if (snapshot.services) out.services = snapshot.services;
  if (snapshot.jobs) out.jobs = snapshot.jobs;
  if (snapshot.files) out.files = snapshot.files;
  if (snapshot.containers) out.containers = snapshot.containers;
  if (snapshot.hardware) out.hardware = hardwareItems(snapshot.hardware);
  if (snapshot.kernelCmdline !== undefined) out.kernelCmdline = snapshot.kernelCmdline;
  if (snapshot.sysctl) out.sysctl = snapshot.sysctl;
  if (snapshot.servicesUnavailable !== undefined) out.servicesUnavailable = snapshot.servicesUnavailable;
  return out;
}

/**
 * The server's second look at env values: an agent redacts secrets before sending, but an older
 * or foreign one may not. What still looks secret (lib/protocol/redaction.ts) is replaced by a
 * keyed hash before it is stored, keyed per host by the server's secret, so a change stays
 * visible and the value never reaches the database.
 */
export function redactEnvOnServer(env: Record<string, string>, key: string, hostId: string): Record<string, string> {
  let out: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(env)) {
    if (!needsRedaction(name, value, REDACTED_PREFIX)) continue;
    out ??= { ...env };
    out[name] = REDACTED_PREFIX + createHmac("sha256", key).update(`snapshot-env\0${hostId}\0${value}`).digest("hex").slice(0, 32);
  }
  return out ?? env;
}

export async function recordSnapshot(db: Db, input: { hostId: string; snapshot: Snapshot; redactionKey: string }): Promise<SnapshotResponse> {
  const { hostId } = input;
  const snapshot = { ...input.snapshot, env: redactEnvOnServer(input.snapshot.env, input.redactionKey, hostId) };
  // The configuration as stored: the inventory sections in their stored form (hardware as a list).
  const sections = sectionsOf(snapshot);
  const content = { ...snapshot, ...sections, hardware: sections.hardware };
  const contentHash = canonicalSnapshotHash(content);
  return db.transaction(async (tx) => {
    // One upload per host at a time decides "changed"; uploads of other hosts do not wait.
    const [host] = await tx
      .update(hosts)
      .set({
        lastSeenAt: sql`now()`,
        ...(snapshot.kernel ? { kernel: snapshot.kernel } : {}),
        ...(snapshot.os ? { os: snapshot.os } : {}),
      })
      .where(eq(hosts.id, hostId))
      .returning({ id: hosts.id });
    // Deleted between the token check and now: its token went with it.
    if (!host) throw unauthorized("unknown or revoked agent token");
    const [last] = await tx
      .select()
      .from(snapshots)
      .where(eq(snapshots.hostId, hostId))
      .orderBy(desc(snapshots.ts), desc(snapshots.receivedAt))
      .limit(1);
    if (last && last.contentHash === contentHash) {
      await tx.update(snapshots).set({ lastSeenAt: sql`now()` }).where(eq(snapshots.id, last.id));
      return { snapshotId: last.id, changed: false };
    }
    const diff = diffSnapshots(last ? contentOf(last) : NO_CONFIGURATION, content);
    const summary = last ? summarizeDiff(diff) : summarizeFirst(content);
    const [created] = await tx
      .insert(snapshots)
      .values({
        hostId,
        ts: new Date(snapshot.ts),
        contentHash,
        os: snapshot.os ?? null,
        kernel: snapshot.kernel ?? null,
        packages: snapshot.packages,
        env: snapshot.env,
        sections: hasSections(sections) ? sections : null,
        packageCount: snapshot.packages.length,
        envCount: Object.keys(snapshot.env).length,
        summary,
      })
      .returning({ id: snapshots.id });
    if (last) await tx.insert(snapshotDiffs).values({ hostId, snapshotId: created!.id, previousId: last.id, diff, summary });
    return { snapshotId: created!.id, changed: true, diff, first: !last };
  });
}

/**
 * Snapshot retention: deletes snapshots older than `retentionDays`, but never a host's latest
 * (the configuration in effect now, which the next upload is diffed against). Diffs of a
 * deleted snapshot go with it; a later diff keeps its content and loses only its link back.
 */
export async function purgeExpiredSnapshots(db: Db, retentionDays: number): Promise<number> {
  const deleted = await rows<{ id: string }>(db, sql`
    delete from ${snapshots} s
    where s.ts < now() - ${retentionDays}::int * interval '1 day'
      and s.id <> (
        select l.id from ${snapshots} l where l.host_id = s.host_id
        order by l.ts desc, l.received_at desc limit 1
      )
    returning s.id`);
  return deleted.length;
}

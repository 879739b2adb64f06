import type { SnapshotDiff, SnapshotSummary } from "@/lib/client/types";

/** A package as the diff lists it: `name:arch` when the arch is known. */
export const pkgName = (p: { name: string; arch?: string }) => (p.arch ? `${p.name}:${p.arch}` : p.name);

/** True when two configurations are the same in every part the diff compares. */
export function isEmptyDiff(d: SnapshotDiff): boolean {
  const { packages: p, env: e } = d;
  return !d.kernel && !d.os && !p.added.length && !p.removed.length && !p.changed.length && !e.added.length && !e.removed.length && !e.changed.length;
}

/**
 * Why there is no diff to fetch for this choice, or null when there is one: fewer than two
 * snapshots, none chosen, or the first snapshot compared with the (absent) one before it.
 */
export function diffUnavailable(list: readonly SnapshotSummary[], selected: string | null, against: string): string | null {
  if (list.length < 2) return `A diff needs two snapshots; this host has ${list.length === 0 ? "none yet" : "only its first"}.`;
  if (!selected) return "Choose a snapshot.";
  const snap = list.find((s) => s.id === selected);
  if (against === "previous" && snap && !snap.changed) return "This is the host’s first snapshot: there is nothing before it. Choose another one to compare with.";
  return null;
}

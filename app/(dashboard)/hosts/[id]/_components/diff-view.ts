import type { SnapshotDiff, SnapshotSummary } from "@/lib/client/types";
import { SECTION_ORDER } from "./sections-view";

/** A package as the diff lists it: `name:arch` when the arch is known. */
export const pkgName = (p: { name: string; arch?: string }) => (p.arch ? `${p.name}:${p.arch}` : p.name);

/** True when two configurations are the same in every part the diff compares. */
export function isEmptyDiff(d: SnapshotDiff): boolean {
  const { packages: p, env: e } = d;
  const sectionsEmpty = SECTION_ORDER.every((s) => !d[s] || (!d[s].added.length && !d[s].removed.length && !d[s].changed.length));
  const sysctlEmpty = !d.sysctl || (!d.sysctl.added.length && !d.sysctl.removed.length && !d.sysctl.changed.length);
  return !d.kernel && !d.os && !p.added.length && !p.removed.length && !p.changed.length && !e.added.length && !e.removed.length && !e.changed.length && sectionsEmpty && sysctlEmpty && !d.kernelCmdline;
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

/**
 * The fleet baseline view: how one host's configuration departs from a host chosen as the
 * reference, so operators can find the odd one out. Unlike a snapshot diff this is not a
 * history of one machine, so it speaks of "here" and "baseline" rather than from/to.
 */
import { z } from "zod";
import { byIdentity, byIdentityThenVersion, cmp, eachVersion, indexPackages, pairPackages, withIdentity, type SnapshotContent } from "./diff";

export interface ComparedPackage {
  name: string;
  version: string;
  arch?: string;
  manager?: string;
}

export interface VersionDifference {
  name: string;
  /** Several side-by-side versions of one package are listed together, sorted, comma-separated. */
  here: string;
  baseline: string;
  arch?: string;
  manager?: string;
}

export interface HostComparison {
  packages: { onlyHere: ComparedPackage[]; onlyBaseline: ComparedPackage[]; differentVersion: VersionDifference[] };
  kernel: { here: string | null; baseline: string | null } | null;
  os: { here: string | null; baseline: string | null } | null;
}

const comparedPackage = z.object({ name: z.string(), version: z.string(), arch: z.string().optional(), manager: z.string().optional() });
const sides = z.object({ here: z.string().nullable(), baseline: z.string().nullable() }).nullable();

/** GET /api/drift/compare: which snapshots were compared and how they differ. */
export const HostComparisonResponseSchema = z.object({
  hostId: z.string(),
  baselineHostId: z.string(),
  snapshots: z.object({ here: z.object({ id: z.string(), ts: z.string() }), baseline: z.object({ id: z.string(), ts: z.string() }) }),
  summary: z.string(),
  comparison: z.object({
    packages: z.object({
      onlyHere: z.array(comparedPackage),
      onlyBaseline: z.array(comparedPackage),
      differentVersion: z.array(z.object({ name: z.string(), here: z.string(), baseline: z.string(), arch: z.string().optional(), manager: z.string().optional() })),
    }),
    kernel: sides,
    os: sides,
  }),
});

const listVersions = (versions: readonly string[]): string => (versions.length === 1 ? versions[0]! : [...versions].sort(cmp).join(", "));

/**
 * Packages are matched by name + arch + manager, as in `diffSnapshots`. A package present on
 * both hosts with different versions is a version difference, never an "only" entry, because
 * operators read "only here" as "installed on this host alone".
 */
export function diffHosts(host: SnapshotContent, baseline: SnapshotContent): HostComparison {
  const here = indexPackages(host.packages);
  const base = indexPackages(baseline.packages);
  const onlyHere: ComparedPackage[] = [];
  const onlyBaseline: ComparedPackage[] = [];
  const differentVersion: VersionDifference[] = [];

  pairPackages(here, base, {
    onlyA: (entry) => eachVersion(entry, onlyHere),
    onlyB: (entry) => eachVersion(entry, onlyBaseline),
    both: (entry, other) => {
      const hereVersions = listVersions(entry.versions);
      const baselineVersions = listVersions(other.versions);
      if (hereVersions !== baselineVersions) differentVersion.push(withIdentity(entry, { name: entry.name, here: hereVersions, baseline: baselineVersions }));
    },
  });

  onlyHere.sort(byIdentityThenVersion);
  onlyBaseline.sort(byIdentityThenVersion);
  differentVersion.sort(byIdentity);
  return {
    packages: { onlyHere, onlyBaseline, differentVersion },
    kernel: hereAndBaseline(host.kernel, baseline.kernel),
    os: hereAndBaseline(host.os, baseline.os),
  };
}

function hereAndBaseline(here: string | null | undefined, baseline: string | null | undefined): { here: string | null; baseline: string | null } | null {
  const h = here ?? null;
  const b = baseline ?? null;
  return h === b ? null : { here: h, baseline: b };
}

export function isSameConfiguration(c: HostComparison): boolean {
  const p = c.packages;
  return p.onlyHere.length === 0 && p.onlyBaseline.length === 0 && p.differentVersion.length === 0 && c.kernel === null && c.os === null;
}

/** One line for a fleet table, e.g. "12 only here, 3 only on baseline, 40 other versions, kernel 6.1.0-18 vs 6.1.0-17". */
export function summarizeComparison(c: HostComparison): string {
  const parts: string[] = [];
  const p = c.packages;
  if (p.onlyHere.length) parts.push(`${p.onlyHere.length} only here`);
  if (p.onlyBaseline.length) parts.push(`${p.onlyBaseline.length} only on baseline`);
  if (p.differentVersion.length) parts.push(`${p.differentVersion.length} other versions`);
  if (c.kernel) parts.push(`kernel ${c.kernel.here ?? "none"} vs ${c.kernel.baseline ?? "none"}`);
  if (c.os) parts.push(`os ${c.os.here ?? "none"} vs ${c.os.baseline ?? "none"}`);
  return parts.length === 0 ? "same as baseline" : parts.join(", ");
}

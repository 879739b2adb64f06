/**
 * The snapshot diff engine: what changed between two configurations of one host.
 * Pure: no database, no Next. The ingest service hashes each upload with
 * `canonicalSnapshotHash` (equal hash <=> empty diff) and stores `diffSnapshots(last, new)`.
 */
import { createHash } from "node:crypto";
import type { Package, SnapshotDiff } from "@/lib/protocol";
import { canonicalSections, cmp, diffSections, hasSections, isEmptySectionsDiff, summarizeSections, type SectionsContent } from "./sections";

export { cmp };

/** The parts of a snapshot that define a configuration; `ts` is deliberately not one of them. */
export interface SnapshotContent extends SectionsContent {
  os?: string | null;
  kernel?: string | null;
  packages: readonly Package[];
  env: Readonly<Record<string, string>>;
}

/** What a host's first snapshot is diffed against: no configuration at all. */
export const NO_CONFIGURATION: SnapshotContent = { os: null, kernel: null, packages: [], env: {} };

export type PackageChange = SnapshotDiff["packages"]["added"][number];
export type PackageVersionChange = SnapshotDiff["packages"]["changed"][number];

/**
 * A package is identified by name + arch + manager: `libc6:amd64` and `libc6:i386` are two
 * packages, and so are an apt `requests` and a pip `requests`. A missing arch or manager and
 * an empty one are the same identity.
 *
 * One identity may legitimately carry several versions at once (RPM installs several
 * `kernel` packages side by side), so each identity maps to its versions; an exact duplicate
 * entry collapses into one. The list almost always holds one version, where an array is much
 * cheaper than a Set (20,000 Sets were half the cost of a diff); an identity with more than
 * `SMALL_VERSION_LIST` versions also gets a Set, so a hostile snapshot with 20,000 versions of
 * one name costs linear time, not a scan of the list per version.
 */
export interface PackageIdentity {
  name: string;
  arch: string;
  manager: string;
}

export interface PackageEntry extends PackageIdentity {
  versions: string[];
}

interface ChainedEntry extends PackageEntry {
  /** The next identity with the same name (another arch or manager); rare. */
  next: ChainedEntry | null;
  /** The versions again, once there are more than a handful. */
  versionSet: Set<string> | null;
}

/** Up to this many versions, a linear search of the list is cheaper than a Set. */
export const SMALL_VERSION_LIST = 8;

/** Whether the entry holds `version`, in constant time for a long list. */
export function hasVersion(entry: PackageEntry, version: string): boolean {
  const set = (entry as Partial<ChainedEntry>).versionSet;
  return set ? set.has(version) : entry.versions.includes(version);
}

/**
 * Packages by identity. Keyed by name with a short chain for the few names that exist under
 * several arches or managers: three times faster than building a composite string key for
 * each of 20,000 packages, and no separator can collide with a character in a name.
 */
export class PackageIndex {
  private readonly byName = new Map<string, ChainedEntry>();

  find(name: string, arch = "", manager = ""): PackageEntry | undefined {
    for (let e: ChainedEntry | null | undefined = this.byName.get(name); e; e = e.next) if (e.arch === arch && e.manager === manager) return e;
    return undefined;
  }

  /** The entry for an identity, created empty when absent. */
  ensure(name: string, arch = "", manager = ""): PackageEntry {
    const head = this.byName.get(name);
    for (let e: ChainedEntry | null | undefined = head; e; e = e.next) if (e.arch === arch && e.manager === manager) return e;
    const entry: ChainedEntry = { name, arch, manager, versions: [], next: null, versionSet: null };
    if (!head) this.byName.set(name, entry);
    else {
      entry.next = head.next;
      head.next = entry;
    }
    return entry;
  }

  add(p: Package): void {
    const entry = this.ensure(p.name, p.arch, p.manager) as ChainedEntry;
    if (hasVersion(entry, p.version)) return;
    entry.versions.push(p.version);
    if (entry.versionSet) entry.versionSet.add(p.version);
    else if (entry.versions.length > SMALL_VERSION_LIST) entry.versionSet = new Set(entry.versions);
  }

  *entries(): IterableIterator<PackageEntry> {
    for (const head of this.byName.values()) for (let e: ChainedEntry | null = head; e; e = e.next) yield e;
  }
}

export function indexPackages(packages: readonly Package[]): PackageIndex {
  const index = new PackageIndex();
  for (const p of packages) index.add(p);
  return index;
}

/** Optional fields stay absent when empty so the common case is exactly the contract's shape. */
export function withIdentity<T extends { name: string }>(entry: PackageIdentity, item: T): T & { arch?: string; manager?: string } {
  const out: T & { arch?: string; manager?: string } = { ...item };
  if (entry.arch) out.arch = entry.arch;
  if (entry.manager) out.manager = entry.manager;
  return out;
}

export function byIdentity(a: { name: string; arch?: string; manager?: string }, b: { name: string; arch?: string; manager?: string }): number {
  return cmp(a.name, b.name) || cmp(a.arch ?? "", b.arch ?? "") || cmp(a.manager ?? "", b.manager ?? "");
}

export const byIdentityThenVersion = (a: PackageChange, b: PackageChange): number => byIdentity(a, b) || cmp(a.version, b.version);

/**
 * Walks two indexes by identity (name + arch + manager): every entry of `a` with its match in
 * `b`, or alone; then every entry of `b` that `a` lacks. One pass over each side.
 */
export function pairPackages(a: PackageIndex, b: PackageIndex, visit: { both: (a: PackageEntry, b: PackageEntry) => void; onlyA: (a: PackageEntry) => void; onlyB: (b: PackageEntry) => void }): void {
  for (const entry of a.entries()) {
    const other = b.find(entry.name, entry.arch, entry.manager);
    if (other) visit.both(entry, other);
    else visit.onlyA(entry);
  }
  for (const entry of b.entries()) if (!a.find(entry.name, entry.arch, entry.manager)) visit.onlyB(entry);
}

/** Each version of an entry as its own package line. */
export const eachVersion = (entry: PackageEntry, into: { name: string; version: string; arch?: string; manager?: string }[]) => {
  for (const version of entry.versions) into.push(withIdentity(entry, { name: entry.name, version }));
};

const sortedVersions = (versions: Iterable<string>): string[] => [...versions].sort(cmp);

/**
 * Linear in the number of packages and env keys (one Map per side); only the output is
 * sorted, by name then arch then manager, so stored and returned diffs compare equal.
 *
 * An identity present on both sides with one version each is a version change. With several
 * versions on either side (side-by-side kernels), the versions that left are removed and the
 * ones that appeared are added: pairing them up would invent upgrades that did not happen.
 */
export function diffSnapshots(prev: SnapshotContent, next: SnapshotContent): SnapshotDiff {
  const before = indexPackages(prev.packages);
  const after = indexPackages(next.packages);
  const added: PackageChange[] = [];
  const removed: PackageChange[] = [];
  const changed: PackageVersionChange[] = [];

  pairPackages(before, after, {
    onlyA: (old) => eachVersion(old, removed),
    onlyB: (now) => eachVersion(now, added),
    both: (old, now) => {
      if (old.versions.length === 1 && now.versions.length === 1) {
        const from = old.versions[0]!;
        const to = now.versions[0]!;
        if (from !== to) changed.push(withIdentity(old, { name: old.name, from, to }));
        return;
      }
      for (const version of old.versions) if (!hasVersion(now, version)) removed.push(withIdentity(old, { name: old.name, version }));
      for (const version of now.versions) if (!hasVersion(old, version)) added.push(withIdentity(now, { name: now.name, version }));
    },
  });

  added.sort(byIdentityThenVersion);
  removed.sort(byIdentityThenVersion);
  changed.sort(byIdentity);

  return {
    packages: { added, removed, changed },
    env: diffEnvKeys(prev.env, next.env),
    kernel: fromTo(prev.kernel, next.kernel),
    os: fromTo(prev.os, next.os),
    ...diffSections(prev, next),
  };
}

/**
 * Keys only: a redacted value is a keyed hash that changes when the secret does, so comparing
 * the stored strings shows the change without anyone seeing the value.
 */
function diffEnvKeys(prev: Readonly<Record<string, string>>, next: Readonly<Record<string, string>>): SnapshotDiff["env"] {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const key of Object.keys(prev)) {
    if (!Object.hasOwn(next, key)) removed.push(key);
    else if (prev[key] !== next[key]) changed.push(key);
  }
  for (const key of Object.keys(next)) if (!Object.hasOwn(prev, key)) added.push(key);
  return { added: added.sort(cmp), removed: removed.sort(cmp), changed: changed.sort(cmp) };
}

/** An absent kernel or OS is null: an agent that could not read it reports a change, honestly. */
function fromTo(prev: string | null | undefined, next: string | null | undefined): { from: string | null; to: string | null } | null {
  const from = prev ?? null;
  const to = next ?? null;
  return from === to ? null : { from, to };
}

export function isEmptyDiff(diff: SnapshotDiff): boolean {
  const { packages: p, env: e } = diff;
  return (
    p.added.length === 0 &&
    p.removed.length === 0 &&
    p.changed.length === 0 &&
    e.added.length === 0 &&
    e.removed.length === 0 &&
    e.changed.length === 0 &&
    diff.kernel === null &&
    diff.os === null &&
    isEmptySectionsDiff(diff)
  );
}

/**
 * sha256 over a serialisation that ignores package and env order and collapses what
 * `diffSnapshots` treats as the same, so two snapshots hash equal exactly when their diff is
 * empty. The leading version tag lets the serialisation change later without old hashes
 * silently matching new ones.
 */
export function canonicalSnapshotHash(snapshot: SnapshotContent): string {
  const sorted = snapshot.packages
    .map((p): [string, string, string, string] => [p.name, p.arch ?? "", p.manager ?? "", p.version])
    .sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]) || cmp(a[2], b[2]) || cmp(a[3], b[3]));
  // Exact duplicates collapse, as in the index: sorted, they are neighbours.
  const packages = sorted.filter((t, i) => {
    const prev = sorted[i - 1];
    return !prev || prev[0] !== t[0] || prev[1] !== t[1] || prev[2] !== t[2] || prev[3] !== t[3];
  });
  const env = Object.keys(snapshot.env)
    .sort(cmp)
    .map((key) => [key, snapshot.env[key]!]);
  // Without inventory sections the v1 form is kept, so an old agent's unchanged upload still
  // hashes equal to the snapshot stored before sections existed.
  const canonical = hasSections(snapshot)
    ? JSON.stringify(["iw-snapshot-v2", snapshot.os ?? null, snapshot.kernel ?? null, packages, env, canonicalSections(snapshot)])
    : JSON.stringify(["iw-snapshot-v1", snapshot.os ?? null, snapshot.kernel ?? null, packages, env]);
  return createHash("sha256").update(canonical).digest("hex");
}

const show = (v: string | null): string => v ?? "none";

/** One line for snapshot lists, e.g. "+2 −3 ~4 packages, 1 env changed, kernel 6.1.0-17 -> 6.1.0-18". */
export function summarizeDiff(diff: SnapshotDiff): string {
  const parts: string[] = [];
  const { added, removed, changed } = diff.packages;
  if (added.length + removed.length + changed.length > 0) {
    parts.push(`+${added.length} \u2212${removed.length} ~${changed.length} packages`);
  }
  const envTouched = diff.env.added.length + diff.env.removed.length + diff.env.changed.length;
  if (envTouched > 0) parts.push(`${envTouched} env changed`);
  if (diff.kernel) parts.push(`kernel ${show(diff.kernel.from)} -> ${show(diff.kernel.to)}`);
  if (diff.os) parts.push(`os ${show(diff.os.from)} -> ${show(diff.os.to)}`);
  parts.push(...summarizeSections(diff));
  return parts.length === 0 ? "no changes" : parts.join(", ");
}

/** The summary of a host's first snapshot, which has nothing to diff against. */
export function summarizeFirst(snapshot: SnapshotContent): string {
  let packageCount = 0;
  for (const entry of indexPackages(snapshot.packages).entries()) packageCount += entry.versions.length;
  const parts = [`${packageCount} packages`, `${Object.keys(snapshot.env).length} env keys`];
  if (snapshot.kernel) parts.push(`kernel ${snapshot.kernel}`);
  return `first snapshot: ${parts.join(", ")}`;
}

/** Env values are not in a diff, so only the env key set can be reconstructed. */
export interface AppliedSnapshot {
  os: string | null;
  kernel: string | null;
  packages: Package[];
  envKeys: string[];
}

/**
 * What a diff turns `a` into. Throws when the diff does not fit `a` (removing a package `a`
 * lacks), which is what makes it useful as the inverse in property tests.
 */
export function applyDiff(a: SnapshotContent, diff: SnapshotDiff): AppliedSnapshot {
  const index = indexPackages(a.packages);
  // The versions of each identity as a Set while the diff is applied: removals stay constant-time.
  const versionsOf = new Map<PackageEntry, Set<string>>();
  const versionsFor = (item: { name: string; arch?: string; manager?: string }): Set<string> => {
    const entry = index.ensure(item.name, item.arch, item.manager);
    let set = versionsOf.get(entry);
    if (!set) versionsOf.set(entry, (set = new Set(entry.versions)));
    return set;
  };
  const misfit = (what: string): never => {
    throw new Error(`diff does not apply: ${what}`);
  };

  for (const item of diff.packages.removed) {
    if (!versionsFor(item).delete(item.version)) misfit(`removed ${item.name} ${item.version} is absent`);
  }
  for (const item of diff.packages.changed) {
    const versions = versionsFor(item);
    if (!versions.delete(item.from)) misfit(`changed ${item.name} from ${item.from} is absent`);
    versions.add(item.to);
  }
  for (const item of diff.packages.added) {
    const versions = versionsFor(item);
    if (versions.has(item.version)) misfit(`added ${item.name} ${item.version} is already present`);
    versions.add(item.version);
  }

  const packages: Package[] = [];
  for (const entry of index.entries()) {
    for (const version of sortedVersions(versionsOf.get(entry) ?? entry.versions)) packages.push(withIdentity(entry, { name: entry.name, version }));
  }
  packages.sort((x, y) => byIdentity(x, y) || cmp(x.version, y.version));

  const envKeys = new Set(Object.keys(a.env));
  for (const key of diff.env.removed) if (!envKeys.delete(key)) misfit(`env ${key} removed but absent`);
  for (const key of diff.env.changed) if (!envKeys.has(key)) misfit(`env ${key} changed but absent`);
  for (const key of diff.env.added) {
    if (envKeys.has(key)) misfit(`env ${key} added but present`);
    envKeys.add(key);
  }

  const kernel = a.kernel ?? null;
  const os = a.os ?? null;
  if (diff.kernel && diff.kernel.from !== kernel) misfit(`kernel from ${show(diff.kernel.from)} but is ${show(kernel)}`);
  if (diff.os && diff.os.from !== os) misfit(`os from ${show(diff.os.from)} but is ${show(os)}`);
  return {
    os: diff.os ? diff.os.to : os,
    kernel: diff.kernel ? diff.kernel.to : kernel,
    packages,
    envKeys: [...envKeys].sort(cmp),
  };
}

/** The normal form `applyDiff` returns, for comparing a snapshot against an applied diff. */
export function normalizeSnapshot(s: SnapshotContent): AppliedSnapshot {
  return applyDiff(s, { packages: { added: [], removed: [], changed: [] }, env: { added: [], removed: [], changed: [] }, kernel: null, os: null });
}

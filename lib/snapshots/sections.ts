/**
 * The inventory sections of a snapshot (ports, users, groups, services, jobs, files,
 * containers) and the one keyed-list differ they all go through. Each section names its item
 * identity (what makes two items "the same port") and its natural name (what a drift rule's
 * glob reads); everything else about an item is content, and a content change under the same
 * identity is `changed`. Pure: no database, no Next.
 */
import type { HardwareItem, ListeningPort, LocalGroup, LocalUser, ScheduledJob, Service, SnapshotContainer, WatchedFile } from "@/lib/protocol";

/** Plain code-unit order: locale-independent, so every process sorts alike. */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export type PortItem = ListeningPort;
export type UserItem = LocalUser;
export type GroupItem = LocalGroup;
export type ServiceItem = Service;
export type JobItem = ScheduledJob;
export type FileItem = WatchedFile;
export type ContainerItem = SnapshotContainer;
export type { HardwareItem };

export interface SectionItems {
  ports: PortItem;
  users: UserItem;
  groups: GroupItem;
  services: ServiceItem;
  jobs: JobItem;
  files: FileItem;
  containers: ContainerItem;
  hardware: HardwareItem;
}
export type ListSection = keyof SectionItems;
export const LIST_SECTIONS = ["ports", "users", "groups", "services", "jobs", "files", "containers", "hardware"] as const satisfies readonly ListSection[];

/** The inventory part of a snapshot; a section that is absent was not collected (not "empty"). */
export type SectionsContent = { [S in ListSection]?: SectionItems[S][] } & {
  kernelCmdline?: string;
  sysctl?: Record<string, string>;
  /** Why `services` is empty (no systemd...): shown, never diffed. */
  servicesUnavailable?: string;
};

interface SectionSpec<T> {
  /** The identity's parts; two items with equal parts are one item in two versions. */
  identity: (item: T) => readonly (string | number)[];
  /** What people call the item, and what a drift rule's glob is matched against. */
  name: (item: T) => string;
}

/**
 * A component by what people call it: "disk sda (WD-123)", "memory DIMM_A1", "nic eth0",
 * "gpu 0000:01:00.0", "cpu", "system". A disk whose serial changed under the same kernel name
 * reads as one removed and one added disk: it is another disk.
 */
function hardwareName(h: HardwareItem): string {
  if (h.kind === "system" || h.kind === "cpu") return h.kind;
  if (h.kind === "disk") return `disk ${String(h.name ?? h.key)}${h.serial ? ` (${String(h.serial)})` : ""}`;
  return `${h.kind} ${h.key}`;
}

const hostPort = (address: string, port: number) => (address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`);

/**
 * A container's identity is its name, not its id: `docker compose up` after a pull recreates
 * `web` with a new id, which is the same service changing image, not one gone and one new.
 */
export const SECTION_SPECS: { [S in ListSection]: SectionSpec<SectionItems[S]> } = {
  ports: { identity: (p) => [p.proto, p.address, p.port], name: (p) => `${p.proto} ${hostPort(p.address, p.port)}` },
  users: { identity: (u) => [u.name], name: (u) => u.name },
  groups: { identity: (g) => [g.name], name: (g) => g.name },
  services: { identity: (s) => [s.unit], name: (s) => s.unit },
  jobs: { identity: (j) => [j.source, j.schedule, j.command], name: (j) => `${j.source}: ${j.schedule} ${j.command}` },
  files: { identity: (f) => [f.path], name: (f) => f.path },
  containers: { identity: (c) => [c.name], name: (c) => c.name },
  hardware: { identity: (h) => [h.kind, h.key], name: hardwareName },
};

export const SECTION_LABELS: { [S in ListSection]: string } = {
  ports: "listening ports",
  users: "users",
  groups: "groups",
  services: "services",
  jobs: "scheduled jobs",
  files: "watched files",
  containers: "containers",
  hardware: "hardware",
};

export interface ChangedItem<T> {
  /** The item's natural name (SECTION_SPECS[section].name). */
  name: string;
  /** The top-level fields whose values differ, sorted. */
  fields: string[];
  from: T;
  to: T;
}

export interface SectionDiff<T> {
  added: T[];
  removed: T[];
  changed: ChangedItem<T>[];
}

/** JSON with object keys sorted: equal content serialises equal whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort(cmp);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
}

/** JSON of the identity parts: unambiguous whatever characters a name holds. */
const keyOf = <T>(spec: SectionSpec<T>, item: T): string => JSON.stringify(spec.identity(item));

/**
 * Items by identity; a repeated identity keeps its first item (an agent listing one socket
 * twice is not two ports). `canonicalSections` collapses the same way, so equal hashes still
 * mean an empty diff.
 */
function indexItems<T>(spec: SectionSpec<T>, items: readonly T[]): Map<string, T> {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(spec, item);
    if (!byKey.has(key)) byKey.set(key, item);
  }
  return byKey;
}

function changedFields(a: object, b: object): string[] {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const fields = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...fields].filter((f) => canonicalJson(ra[f] ?? null) !== canonicalJson(rb[f] ?? null)).sort(cmp);
}

/**
 * One pass over each side (a Map per side, linear in the items); only the output is sorted, by
 * the item's name and then its identity, so stored and recomputed diffs compare equal.
 */
export function diffKeyedList<T extends object>(spec: SectionSpec<T>, prev: readonly T[], next: readonly T[]): SectionDiff<T> {
  const before = indexItems(spec, prev);
  const after = indexItems(spec, next);
  const added: [string, T][] = [];
  const removed: [string, T][] = [];
  const changed: [string, ChangedItem<T>][] = [];
  for (const [key, old] of before) {
    const now = after.get(key);
    if (now === undefined) removed.push([key, old]);
    else {
      const fields = changedFields(old, now);
      if (fields.length) changed.push([key, { name: spec.name(now), fields, from: old, to: now }]);
    }
  }
  for (const [key, now] of after) if (!before.has(key)) added.push([key, now]);
  const order = (x: [string, T], y: [string, T]) => cmp(spec.name(x[1]), spec.name(y[1])) || cmp(x[0], y[0]);
  return {
    added: added.sort(order).map(([, item]) => item),
    removed: removed.sort(order).map(([, item]) => item),
    changed: changed.sort((x, y) => cmp(x[1].name, y[1].name) || cmp(x[0], y[0])).map(([, c]) => c),
  };
}

export interface SysctlDiff {
  added: { key: string; value: string }[];
  removed: { key: string; value: string }[];
  changed: { key: string; from: string; to: string }[];
}

export function diffSysctl(prev: Readonly<Record<string, string>>, next: Readonly<Record<string, string>>): SysctlDiff {
  const out: SysctlDiff = { added: [], removed: [], changed: [] };
  for (const key of Object.keys(prev).sort(cmp)) {
    if (!Object.hasOwn(next, key)) out.removed.push({ key, value: prev[key]! });
    else if (prev[key] !== next[key]) out.changed.push({ key, from: prev[key]!, to: next[key]! });
  }
  for (const key of Object.keys(next).sort(cmp)) if (!Object.hasOwn(prev, key)) out.added.push({ key, value: next[key]! });
  return out;
}

export type SectionsDiff = { [S in ListSection]?: SectionDiff<SectionItems[S]> } & {
  kernelCmdline?: { from: string | null; to: string | null };
  sysctl?: SysctlDiff;
};

const isEmptySection = (d: { added: unknown[]; removed: unknown[]; changed: unknown[] }) => d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;

/**
 * The inventory part of a diff. A section is compared only when both snapshots carry it: one
 * that appears (an agent upgraded, a collector now permitted) is a baseline, not "everything
 * added", and one that disappears is unknown, not "everything removed". Sections without a
 * change are left out, so a diff of an unchanged inventory is `{}`.
 */
export function diffSections(prev: SectionsContent, next: SectionsContent): SectionsDiff {
  const out: SectionsDiff = {};
  for (const section of LIST_SECTIONS) {
    const a = prev[section];
    const b = next[section];
    if (!a || !b) continue;
    const d = diffKeyedList(SECTION_SPECS[section] as SectionSpec<object>, a, b);
    if (!isEmptySection(d)) (out as Record<string, unknown>)[section] = d;
  }
  if (prev.kernelCmdline != null && next.kernelCmdline != null && prev.kernelCmdline !== next.kernelCmdline) {
    out.kernelCmdline = { from: prev.kernelCmdline, to: next.kernelCmdline };
  }
  if (prev.sysctl && next.sysctl) {
    const d = diffSysctl(prev.sysctl, next.sysctl);
    if (!isEmptySection(d)) out.sysctl = d;
  }
  return out;
}

export function isEmptySectionsDiff(diff: SectionsDiff): boolean {
  for (const section of LIST_SECTIONS) {
    const d = diff[section];
    if (d && !isEmptySection(d)) return false;
  }
  return !diff.kernelCmdline && (!diff.sysctl || isEmptySection(diff.sysctl));
}

/**
 * The sections in a form whose serialisation is equal exactly when `diffSections` finds no
 * change: items deduplicated by identity as the differ does, sorted by identity, keys sorted.
 * An absent section stays absent (null), so it hashes apart from an empty one.
 */
export function canonicalSections(s: SectionsContent): unknown[] {
  const parts: unknown[] = [];
  for (const section of LIST_SECTIONS) {
    const items = s[section];
    if (!items) {
      parts.push(null);
      continue;
    }
    const spec = SECTION_SPECS[section] as SectionSpec<object>;
    const byKey = indexItems(spec, items);
    parts.push([...byKey.keys()].sort(cmp).map((k) => [k, canonicalJson(byKey.get(k))]));
  }
  parts.push(s.kernelCmdline ?? null);
  parts.push(s.sysctl ? Object.keys(s.sysctl).sort(cmp).map((k) => [k, s.sysctl![k]]) : null);
  return parts;
}

/** Whether any inventory section was collected at all (old agents send none). */
export function hasSections(s: SectionsContent): boolean {
  return LIST_SECTIONS.some((section) => s[section] !== undefined) || s.kernelCmdline != null || s.sysctl != null;
}

/** "+1 −0 ~2 ports" style parts for the one-line summary, in section order. */
export function summarizeSections(diff: SectionsDiff): string[] {
  const parts: string[] = [];
  for (const section of LIST_SECTIONS) {
    const d = diff[section];
    if (d && !isEmptySection(d)) parts.push(`+${d.added.length} \u2212${d.removed.length} ~${d.changed.length} ${section}`);
  }
  if (diff.kernelCmdline) parts.push("kernel cmdline changed");
  if (diff.sysctl && !isEmptySection(diff.sysctl)) parts.push(`${diff.sysctl.added.length + diff.sysctl.removed.length + diff.sysctl.changed.length} sysctl changed`);
  return parts;
}

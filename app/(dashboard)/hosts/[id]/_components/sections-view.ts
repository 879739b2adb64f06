/**
 * How the configuration panel shows each inventory section: its tab label, its table's columns
 * and each item's cells (strings), one search over those cells. A section is a registry entry,
 * so a new one is one entry here, not a new component.
 */
import type { SnapshotDetail, SnapshotDiff } from "@/lib/client/types";
import { SECTION_SPECS, type ListSection, type SectionItems } from "@/lib/snapshots/sections";
import { bytes } from "@/app/_components/format";

/** Rows a section table draws at most; the search narrows the rest. */
export const SECTION_ROWS_SHOWN = 500;

type Spec<T> = { label: string; columns: string[]; cells: (item: T) => string[] };

export const SECTION_VIEWS: { [S in ListSection]: Spec<SectionItems[S]> } = {
  ports: { label: "Ports", columns: ["Protocol", "Address", "Port", "Process"], cells: (p) => [p.proto, p.address, String(p.port), p.process ?? ""] },
  users: { label: "Users", columns: ["User", "UID", "GID", "Shell", "Home"], cells: (u) => [u.name, String(u.uid), String(u.gid), u.shell ?? "", u.home ?? ""] },
  groups: { label: "Groups", columns: ["Group", "GID", "Members"], cells: (g) => [g.name, String(g.gid), g.members.join(", ")] },
  services: { label: "Services", columns: ["Unit", "Enabled", "Active", "Sub-state"], cells: (s) => [s.unit, s.enabled ?? "", s.active ?? "", s.sub ?? ""] },
  jobs: { label: "Jobs", columns: ["Source", "Schedule", "Command"], cells: (j) => [j.source, j.schedule, j.command] },
  files: { label: "Files", columns: ["Path", "SHA-256", "Size", "Mode", "Owner", "Modified"], cells: (f) => [f.path, f.sha256 ? f.sha256.slice(0, 12) : f.error ? `unreadable: ${f.error}` : "", String(f.size), f.mode, f.owner ?? "", f.mtime ?? ""] },
  containers: { label: "Containers", columns: ["Name", "Image", "State", "Health"], cells: (c) => [c.name, c.image, c.state, c.health ?? ""] },
  hardware: { label: "Hardware", columns: ["Component", "Identity", "Details"], cells: (h) => [h.kind, hardwareIdentity(h), hardwareDetails(h)] },
};

/** What tells a component apart, as people read it: a disk's kernel name and serial, a module's slot. */
function hardwareIdentity(h: SectionItems["hardware"]): string {
  if (h.kind === "system" || h.kind === "cpu") return "";
  if (h.kind === "disk") return [h.name, h.serial].filter((v) => v !== undefined && v !== "").join(" ");
  return h.key;
}

/** Fields the identity column already shows, per kind. */
const IN_IDENTITY: Record<SectionItems["hardware"]["kind"], readonly string[]> = { system: [], cpu: [], memory: ["slot"], disk: ["name", "serial"], nic: ["name"], gpu: ["slot"] };

/** The component's other fields, "model WD Blue, 1.0 TB, type ssd", sizes in binary units. */
function hardwareDetails(h: SectionItems["hardware"]): string {
  const skip = new Set(["kind", "key", ...IN_IDENTITY[h.kind]]);
  return Object.keys(h)
    .filter((k) => !skip.has(k) && h[k] !== undefined && h[k] !== "")
    .map((k) => (k === "sizeBytes" && typeof h[k] === "number" ? bytes(h[k]) : `${k} ${String(h[k])}`))
    .join(", ");
}


export const SECTION_ORDER = ["ports", "users", "groups", "services", "jobs", "files", "containers", "hardware"] as const satisfies readonly ListSection[];

export type SectionTable = { section: ListSection; label: string; columns: string[]; total: number; hits: number; rows: { key: string; cells: string[] }[] };

/** One section's table: rows whose cells contain the search (case-insensitive, literal), in name order. */
export function sectionTable<S extends ListSection>(section: S, items: readonly SectionItems[S][], query: string, shown = SECTION_ROWS_SHOWN): SectionTable {
  const view = SECTION_VIEWS[section] as Spec<SectionItems[S]>;
  const spec = SECTION_SPECS[section] as { identity: (i: SectionItems[S]) => readonly (string | number)[]; name: (i: SectionItems[S]) => string };
  const needle = query.trim().toLowerCase();
  const all = items.map((item) => ({ key: JSON.stringify(spec.identity(item)), name: spec.name(item), cells: view.cells(item) }));
  const hits = needle ? all.filter((r) => r.cells.some((c) => c.toLowerCase().includes(needle))) : all;
  hits.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { section, label: view.label, columns: view.columns, total: items.length, hits: hits.length, rows: hits.slice(0, shown).map(({ key, cells }) => ({ key, cells })) };
}

/** The sections the snapshot carries, in display order (an agent that collects none shows none). */
export function presentSections(sections: SnapshotDetail["sections"]): ListSection[] {
  return SECTION_ORDER.filter((s) => Array.isArray(sections[s]));
}

export type SectionChangeLine = { kind: "added" | "removed" | "changed"; text: string };

/** A section's part of a diff as lines: "+ tcp 0.0.0.0:4444", "~ bob: shell /bin/bash → /bin/zsh". */
export function sectionChanges(section: ListSection, diff: SnapshotDiff | undefined): SectionChangeLine[] {
  const d = diff?.[section];
  if (!d) return [];
  const name = SECTION_SPECS[section].name as (item: unknown) => string;
  const show = (v: unknown) => (v === undefined || v === null ? "none" : Array.isArray(v) ? v.join(", ") || "none" : String(v));
  return [
    ...(d.added as unknown[]).map((i) => ({ kind: "added" as const, text: name(i) })),
    ...(d.removed as unknown[]).map((i) => ({ kind: "removed" as const, text: name(i) })),
    ...d.changed.map((c) => {
      const from = c.from as Record<string, unknown>;
      const to = c.to as Record<string, unknown>;
      // A hash is told apart by its first characters; the whole of it is in the files tab.
      const value = (f: string, v: unknown) => (f === "sha256" && typeof v === "string" ? `${v.slice(0, 12)}…` : show(v));
      return { kind: "changed" as const, text: `${c.name}: ${c.fields.map((f) => `${f} ${value(f, from[f])} → ${value(f, to[f])}`).join("; ")}` };
    }),
  ];
}

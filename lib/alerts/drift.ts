/**
 * Drift rules: does a snapshot diff change what a rule names? Pure, so the evaluation run
 * and the ingest path can ask the same question and get the same answer.
 */
import type { SnapshotDiff } from "@/lib/protocol";
import { LIST_SECTIONS, SECTION_LABELS, SECTION_SPECS, type ListSection } from "@/lib/snapshots/sections";
import { matchGlob } from "./glob";
import { DRIFT_CHANGES, DriftRuleConfigSchema, type DriftChange, type DriftRuleConfig } from "./types";

export interface DriftMatch {
  fires: boolean;
  /** How many changes matched; the event's value. */
  count: number;
  /** One line naming what matched, bounded in length for messages and notifications. */
  description: string;
}

/** Reads a rule's stored `config`; null when it is not a valid drift configuration. */
export function parseDriftConfig(config: unknown): DriftRuleConfig | null {
  const parsed = DriftRuleConfigSchema.safeParse(config);
  return parsed.success ? parsed.data : null;
}

/** No pattern matches everything; see matchGlob for the syntax (never a RegExp: patterns are user input). */
export const matchesGlob = (glob: string | undefined, text: string): boolean => glob === undefined || matchGlob(glob, text);

/** Enough names to act on without turning a 300-package upgrade into a wall of text. */
const LISTED = 5;

function listed(items: string[]): string {
  if (items.length <= LISTED) return items.join(", ");
  return `${items.slice(0, LISTED).join(", ")} and ${items.length - LISTED} more`;
}

function describe(subject: string, groups: [DriftChange, string[]][]): string {
  const parts = groups.filter(([, items]) => items.length > 0).map(([change, items]) => `${change} ${listed(items)}`);
  return `${subject} ${parts.join("; ")}`;
}

export function matchDriftRule(rule: DriftRuleConfig, diff: SnapshotDiff): DriftMatch {
  const changes = new Set<DriftChange>(rule.changes ?? DRIFT_CHANGES);
  const none: DriftMatch = { fires: false, count: 0, description: "" };

  if (rule.target === "kernel" || rule.target === "os") {
    const change = diff[rule.target];
    if (!change) return none;
    // The glob is about where the host went ("kernel 6.*"), so it reads the new value.
    if (rule.pattern !== undefined && (change.to === null || !matchesGlob(rule.pattern, change.to))) return none;
    return { fires: true, count: 1, description: `${rule.target} ${change.from ?? "none"} -> ${change.to ?? "none"}` };
  }

  if (rule.target === "kernelCmdline") {
    const change = diff.kernelCmdline;
    if (!change || (rule.pattern !== undefined && (change.to === null || !matchesGlob(rule.pattern, change.to)))) return none;
    return { fires: true, count: 1, description: `kernel command line ${change.from ?? "none"} -> ${change.to ?? "none"}` };
  }

  if (rule.target === "sysctl") {
    const d = diff.sysctl;
    if (!d) return none;
    const pick = <T extends { key: string }>(change: DriftChange, items: T[], show: (t: T) => string): string[] =>
      changes.has(change) ? items.filter((i) => matchesGlob(rule.pattern, i.key)).map(show) : [];
    const groups: [DriftChange, string[]][] = [
      ["added", pick("added", d.added, (i) => `${i.key}=${i.value}`)],
      ["removed", pick("removed", d.removed, (i) => i.key)],
      ["changed", pick("changed", d.changed, (i) => `${i.key} ${i.from} -> ${i.to}`)],
    ];
    const count = groups.reduce((n, [, items]) => n + items.length, 0);
    return count === 0 ? none : { fires: true, count, description: describe("sysctl", groups) };
  }

  if ((LIST_SECTIONS as readonly string[]).includes(rule.target)) return matchSection(rule.target as ListSection, rule, changes, diff);

  if (rule.target === "env") {
    const pick = (change: DriftChange, keys: string[]): string[] => (changes.has(change) ? keys.filter((k) => matchesGlob(rule.pattern, k)) : []);
    const groups: [DriftChange, string[]][] = [
      ["added", pick("added", diff.env.added)],
      ["removed", pick("removed", diff.env.removed)],
      ["changed", pick("changed", diff.env.changed)],
    ];
    const count = groups.reduce((n, [, items]) => n + items.length, 0);
    return count === 0 ? none : { fires: true, count, description: describe("env keys", groups) };
  }

  const match = (name: string) => matchesGlob(rule.pattern, name);
  const groups: [DriftChange, string[]][] = [
    ["added", changes.has("added") ? diff.packages.added.filter((p) => match(p.name)).map((p) => `${p.name} ${p.version}`) : []],
    ["removed", changes.has("removed") ? diff.packages.removed.filter((p) => match(p.name)).map((p) => `${p.name} ${p.version}`) : []],
    ["changed", changes.has("changed") ? diff.packages.changed.filter((p) => match(p.name)).map((p) => `${p.name} ${p.from} -> ${p.to}`) : []],
  ];
  const count = groups.reduce((n, [, items]) => n + items.length, 0);
  return count === 0 ? none : { fires: true, count, description: describe("packages", groups) };
}

/** An inventory section: the glob reads each item's natural name ("tcp 0.0.0.0:22", a unit, a path). */
function matchSection(section: ListSection, rule: DriftRuleConfig, changes: Set<DriftChange>, diff: SnapshotDiff): DriftMatch {
  const d = diff[section];
  if (!d) return { fires: false, count: 0, description: "" };
  const name = SECTION_SPECS[section].name as (item: unknown) => string;
  const pick = (change: DriftChange, names: string[]) => (changes.has(change) ? names.filter((n) => matchesGlob(rule.pattern, n)) : []);
  const groups: [DriftChange, string[]][] = [
    ["added", pick("added", (d.added as unknown[]).map(name))],
    ["removed", pick("removed", (d.removed as unknown[]).map(name))],
    ["changed", changes.has("changed") ? d.changed.filter((c) => matchesGlob(rule.pattern, c.name)).map((c) => `${c.name} (${c.fields.join(", ")})`) : []],
  ];
  const count = groups.reduce((n, [, items]) => n + items.length, 0);
  return count === 0 ? { fires: false, count: 0, description: "" } : { fires: true, count, description: describe(SECTION_LABELS[section], groups) };
}

import type { HostSummary } from "@/lib/client/types";

/**
 * The overview's table logic as plain functions: which hosts a search and status filter keep,
 * in which order, which page of them is shown, and the fleet's counts.
 */
export type HostSortKey = "hostname" | "status" | "cpu" | "mem" | "disk" | "alerts" | "lastSeen";
export type HostSort = { key: HostSortKey; dir: 1 | -1 };
export type StatusFilter = "" | HostSummary["status"];

/** Rows per page: the default sort puts down and alerting hosts first, and 500 rows of sparklines are slow to paint. */
export const PAGE_SIZE = 100;
export const DEFAULT_SORT: HostSort = { key: "status", dir: 1 };

const STATUS_ORDER = { down: 0, new: 1, up: 2 } as const;

const sorters: Record<HostSortKey, (a: HostSummary, b: HostSummary) => number> = {
  hostname: (a, b) => a.hostname.localeCompare(b.hostname),
  status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
  cpu: (a, b) => (a.latest?.cpuPct ?? -1) - (b.latest?.cpuPct ?? -1),
  mem: (a, b) => (a.latest?.memPct ?? -1) - (b.latest?.memPct ?? -1),
  disk: (a, b) => (a.latest?.diskPct ?? -1) - (b.latest?.diskPct ?? -1),
  alerts: (a, b) => a.openAlerts - b.openAlerts,
  lastSeen: (a, b) => (a.lastSeenAt ? Date.parse(a.lastSeenAt) : 0) - (b.lastSeenAt ? Date.parse(b.lastSeenAt) : 0),
};

export const isHostSortKey = (k: string): k is HostSortKey => Object.hasOwn(sorters, k);

/** A case-insensitive substring of hostname, IP, OS, kernel or status; an empty query matches all. */
export function matchesQuery(h: HostSummary, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [h.hostname, h.ip, h.os, h.kernel, h.status].some((f) => f?.toLowerCase().includes(q));
}

/** The filtered hosts in sort order; ties by hostname so the order is stable across refreshes. */
export function filterAndSortHosts(list: readonly HostSummary[], query: string, status: StatusFilter, sort: HostSort): HostSummary[] {
  const cmp = sorters[sort.key];
  return list.filter((h) => matchesQuery(h, query) && (!status || h.status === status)).sort((a, b) => sort.dir * cmp(a, b) || a.hostname.localeCompare(b.hostname));
}

/** Clicking the sorted column reverses it; a new column starts A→Z for names and status, largest first for numbers. */
export function nextSort(current: HostSort, key: HostSortKey): HostSort {
  if (current.key === key) return { key, dir: current.dir === 1 ? -1 : 1 };
  return { key, dir: key === "hostname" || key === "status" ? 1 : -1 };
}

/** The page to show (clamped, as a filter can shrink the list under the current page) and its rows. */
export function pageOf<T>(rows: readonly T[], page: number, size = PAGE_SIZE): { page: number; pages: number; rows: T[]; first: number; last: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(0, page), pages - 1);
  const start = current * size;
  const shown = rows.slice(start, start + size);
  return { page: current, pages, rows: shown, first: shown.length ? start + 1 : 0, last: start + shown.length };
}

export type FleetCounts = { hosts: number; up: number; down: number; new: number; alerts: number };

export function fleetCounts(list: readonly HostSummary[]): FleetCounts {
  const c: FleetCounts = { hosts: list.length, up: 0, down: 0, new: 0, alerts: 0 };
  for (const h of list) {
    c[h.status]++;
    c.alerts += h.openAlerts;
  }
  return c;
}

/** Every label key among the hosts, sorted: what the overview can group by. */
export function labelKeys(list: readonly HostSummary[]): string[] {
  const keys = new Set<string>();
  for (const h of list) for (const k of Object.keys(h.labels)) keys.add(k);
  return [...keys].sort();
}

/** The group a host falls in when grouping by `key`: its value, or null without the label. */
export const groupValue = (h: HostSummary, key: string): string | null => (Object.hasOwn(h.labels, key) ? h.labels[key]! : null);

/** How a group is headed: `env=prod`, `gpu` for the empty value, `no env` for hosts without it. */
export function groupTitle(key: string, value: string | null): string {
  if (value === null) return `no ${key}`;
  return value === "" ? key : `${key}=${value}`;
}

/**
 * The hosts in groups by the value of one label, groups in value order and hosts without the
 * label last; within a group the order given (the table's sort) is kept.
 */
export function groupHosts(list: readonly HostSummary[], key: string): HostSummary[] {
  if (!key) return [...list];
  const rank = (h: HostSummary) => groupValue(h, key);
  return list
    .map((h, i) => ({ h, i, v: rank(h) }))
    .sort((a, b) => (a.v === b.v ? a.i - b.i : a.v === null ? 1 : b.v === null ? -1 : a.v < b.v ? -1 : 1))
    .map((x) => x.h);
}

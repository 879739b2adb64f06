import { describe, expect, it } from "vitest";
import type { HostSummary } from "@/lib/client/types";
import { DEFAULT_SORT, filterAndSortHosts, fleetCounts, isHostSortKey, matchesQuery, nextSort, pageOf } from "./host-list";

const host = (hostname: string, over: Partial<HostSummary> = {}): HostSummary => ({
  id: `id-${hostname}`,
  hostname,
  ip: null,
  os: null,
  kernel: null,
  arch: null,
  agentVersion: null,
  agentUpdateState: null,
  agentSpoolDepth: null,
  agentNotice: null,
  status: "up",
  lastSeenAt: null,
  enrolledAt: "2026-01-01T00:00:00.000Z",
  droppedSamples: 0,
  openAlerts: 0,
  labels: {},
  labelSources: {},
  removedLabels: [],
  agentLabels: {},
  latest: null,
  ...over,
});
const latest = (cpuPct: number) => ({ ts: "2026-01-01T00:00:00.000Z", cpuPct, memPct: 0, diskPct: 0, uptimeS: 0, load1: null, swapPct: null, cpuCores: null, disks: null });
const names = (l: HostSummary[]) => l.map((h) => h.hostname);

describe("matchesQuery", () => {
  const h = host("web-01", { ip: "10.0.0.7", os: "Debian 12", kernel: "6.1.0-27-amd64", status: "down" });
  it("finds a substring of any searchable field, case-insensitive, ignoring outer spaces", () => {
    for (const q of ["WEB", "10.0.0", "debian", "6.1.0-27", "down", "  web-01 "]) expect(matchesQuery(h, q), q).toBe(true);
  });
  it("matches everything for an empty query and nothing for an absent field", () => {
    expect(matchesQuery(h, "")).toBe(true);
    expect(matchesQuery(h, "   ")).toBe(true);
    expect(matchesQuery(host("db-01"), "10.")).toBe(false);
  });
  it("takes the query literally, not as a pattern", () => {
    expect(matchesQuery(h, ".*")).toBe(false);
    expect(matchesQuery(host("a(b"), "a(")).toBe(true);
  });
});

describe("filterAndSortHosts", () => {
  const list = [host("c", { status: "up" }), host("a", { status: "down" }), host("b", { status: "new" }), host("d", { status: "down" })];

  it("puts down hosts first by default, then new, then up; ties by name", () => {
    expect(names(filterAndSortHosts(list, "", "", DEFAULT_SORT))).toEqual(["a", "d", "b", "c"]);
  });
  it("keeps only the chosen status", () => {
    expect(names(filterAndSortHosts(list, "", "down", DEFAULT_SORT))).toEqual(["a", "d"]);
  });
  it("sorts a host without samples below every host with them, whichever the direction", () => {
    const l = [host("none"), host("hot", { latest: latest(90) }), host("idle", { latest: latest(0) })];
    expect(names(filterAndSortHosts(l, "", "", { key: "cpu", dir: -1 }))).toEqual(["hot", "idle", "none"]);
    expect(names(filterAndSortHosts(l, "", "", { key: "cpu", dir: 1 }))).toEqual(["none", "idle", "hot"]);
  });
  it("sorts never-seen hosts as the oldest", () => {
    const l = [host("never"), host("new", { lastSeenAt: "2026-01-02T00:00:00Z" }), host("old", { lastSeenAt: "2026-01-01T00:00:00Z" })];
    expect(names(filterAndSortHosts(l, "", "", { key: "lastSeen", dir: -1 }))).toEqual(["new", "old", "never"]);
  });
  it("does not reorder the list it is given", () => {
    const before = names(list);
    filterAndSortHosts(list, "", "", { key: "hostname", dir: -1 });
    expect(names(list)).toEqual(before);
  });
});

describe("nextSort", () => {
  it("reverses the current column", () => {
    expect(nextSort({ key: "cpu", dir: -1 }, "cpu")).toEqual({ key: "cpu", dir: 1 });
    expect(nextSort({ key: "hostname", dir: 1 }, "hostname")).toEqual({ key: "hostname", dir: -1 });
  });
  it("starts names and status ascending, numbers and times descending", () => {
    expect(nextSort(DEFAULT_SORT, "hostname").dir).toBe(1);
    expect(nextSort({ key: "cpu", dir: 1 }, "status").dir).toBe(1);
    for (const k of ["cpu", "mem", "disk", "alerts", "lastSeen"] as const) expect(nextSort(DEFAULT_SORT, k)).toEqual({ key: k, dir: -1 });
  });
  it("knows its keys and no others", () => {
    expect(isHostSortKey("cpu")).toBe(true);
    expect(isHostSortKey("os")).toBe(false);
    expect(isHostSortKey("toString")).toBe(false);
  });
});

describe("pageOf", () => {
  const rows = Array.from({ length: 250 }, (_, i) => i);
  it("cuts pages of the given size and numbers their rows from 1", () => {
    expect(pageOf(rows, 0)).toMatchObject({ page: 0, pages: 3, first: 1, last: 100 });
    expect(pageOf(rows, 2)).toMatchObject({ page: 2, pages: 3, first: 201, last: 250 });
    expect(pageOf(rows, 2).rows).toHaveLength(50);
  });
  it("clamps a page a filter has made too large, or a negative one", () => {
    expect(pageOf(rows.slice(0, 30), 2)).toMatchObject({ page: 0, pages: 1, first: 1, last: 30 });
    expect(pageOf(rows, -1).page).toBe(0);
  });
  it("has one empty page for no rows", () => {
    expect(pageOf([], 0)).toEqual({ page: 0, pages: 1, rows: [], first: 0, last: 0 });
  });
});

describe("fleetCounts", () => {
  it("counts hosts by status and sums their open alerts", () => {
    const l = [host("a", { status: "down", openAlerts: 2 }), host("b", { status: "up", openAlerts: 1 }), host("c", { status: "new" }), host("d")];
    expect(fleetCounts(l)).toEqual({ hosts: 4, up: 2, down: 1, new: 1, alerts: 3 });
    expect(fleetCounts([])).toEqual({ hosts: 0, up: 0, down: 0, new: 0, alerts: 0 });
  });
});

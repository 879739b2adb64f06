import { describe, expect, it } from "vitest";
import type { SnapshotSummary, AlertEventView, MetricPoint } from "@/lib/client/types";
import { detectReboots, TIMELINE_MAX, timelineItems } from "./timeline";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const pt = (minute: number, uptimeS: number): MetricPoint => ({ ts: new Date(T0 + minute * 60_000).toISOString(), cpuPct: 0, memPct: 0, diskPct: 0, uptimeS });

describe("detectReboots", () => {
  it("finds none while uptime grows", () => {
    expect(detectReboots([pt(0, 1000), pt(1, 1060), pt(2, 1120)])).toEqual([]);
    expect(detectReboots([])).toEqual([]);
  });
  it("dates a reboot by the boot time of the first sample after it", () => {
    expect(detectReboots([pt(0, 5000), pt(1, 5060), pt(2, 30)])).toEqual([{ ts: T0 + 2 * 60_000 - 30_000, uptimeS: 5060 }]);
  });
  it("takes back-to-back drops (a bucket straddling the reboot) as one reboot, dated by the later bucket", () => {
    const r = detectReboots([pt(0, 5000), pt(1, 2500), pt(2, 90)]);
    expect(r).toEqual([{ ts: T0 + 2 * 60_000 - 90_000, uptimeS: 5000 }]);
  });
  it("tolerates a one-second wobble of uptime", () => {
    expect(detectReboots([pt(0, 1000), pt(1, 999)])).toEqual([]);
  });
});

const ev = (over: Partial<AlertEventView>): AlertEventView =>
  ({ id: "e", ruleId: "r1", hostId: "h", state: "firing", value: null, startedAt: "2026-01-01T01:00:00Z", resolvedAt: null, ackedBy: null, ...over }) as AlertEventView;

describe("timelineItems", () => {
  it("merges snapshots, alerts and reboots, newest first", () => {
    const items = timelineItems({
      snapshots: [
        { id: "s2", ts: "2026-01-01T03:00:00Z", changed: true, summary: "+1 package" } as SnapshotSummary,
        { id: "s1", ts: "2026-01-01T00:00:00Z", changed: false, summary: "412 packages" } as SnapshotSummary,
      ],
      events: [ev({ value: 93.456, resolvedAt: "2026-01-01T02:00:00Z" })],
      rules: [{ id: "r1", name: "CPU high" }],
    });
    expect(items.map((i) => [i.kind, i.text])).toEqual([
      ["snapshot", "+1 package"],
      ["resolved", "CPU high resolved"],
      ["fired", "CPU high fired (value 93.46)"],
      ["first", "Configuration recorded — 412 packages"],
    ]);
    expect(items[0]!.snapshotId).toBe("s2");
  });
  it("names an event by its own rule name first, and a deleted rule generically", () => {
    expect(timelineItems({ events: [ev({ ruleName: "Disk full" })] })[0]!.text).toBe("Disk full fired");
    expect(timelineItems({ events: [ev({ ruleId: "gone" })] })[0]!.text).toBe("alert rule fired");
  });
  it("describes a reboot by the uptime it ended", () => {
    expect(timelineItems({ series: [pt(0, 7200), pt(1, 10)] })[0]).toMatchObject({ kind: "reboot", text: "Rebooted (uptime reset after 2h)" });
  });
  it("keeps the newest entries only", () => {
    const events = Array.from({ length: TIMELINE_MAX + 50 }, (_, i) => ev({ id: `e${i}`, startedAt: new Date(T0 + i * 1000).toISOString() }));
    const items = timelineItems({ events });
    expect(items).toHaveLength(TIMELINE_MAX);
    expect(items[0]!.ts).toBe(T0 + (TIMELINE_MAX + 49) * 1000);
  });
});

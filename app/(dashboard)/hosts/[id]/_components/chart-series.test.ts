import { describe, expect, it } from "vitest";
import type { MetricPoint } from "@/lib/client/types";
import { CHART_GROUPS, METRICS, metricsInChart } from "@/lib/protocol/metrics";
import { CHARTS, formatValue, valueAxis, groupMarkers, niceStep, seriesMax, tickLabel, tickStepMs, timeTicks, typicalSpacingMs, withGaps } from "./chart-series";

const point = (ms: number, extra: Partial<MetricPoint> = {}): MetricPoint => ({ ts: new Date(ms).toISOString(), cpuPct: 1, memPct: 2, diskPct: 3, uptimeS: 4, ...extra });

describe("the charts derived from the registry", () => {
  it("draws one chart per group with metrics, each registry chart metric exactly once, with its legend", () => {
    expect(CHARTS.map((c) => c.key)).toEqual(CHART_GROUPS.map((g) => g.key).filter((g) => metricsInChart(g).length > 0));
    const drawn = CHARTS.flatMap((c) => c.lines.map((l) => l.field));
    expect(drawn.sort()).toEqual(METRICS.filter((m) => "chart" in m).map((m) => m.name).sort());
    expect(CHARTS.find((c) => c.key === "network")).toMatchObject({ title: "Network", unit: "bytes/s", lines: [{ field: "netRxBps", label: "Received" }, { field: "netTxBps", label: "Sent" }] });
    for (const c of CHARTS) expect(new Set(c.lines.map((l) => l.color)).size).toBe(c.lines.length);
  });
});

describe("value formatting", () => {
  it("formats by unit", () => {
    expect(formatValue("percent", 12.345)).toBe("12.3%");
    expect(formatValue("bytes/s", 1500)).toBe("1.5 KB/s");
    expect(formatValue("bytes", 2048)).toBe("2.0 KiB");
    expect(formatValue("load", 0.5)).toBe("0.50");
    expect(formatValue("count", 12345.67)).toBe("12,345.7");
    expect(formatValue("seconds", 90)).toBe("1m 30s");
  });
  it("rounds steps to 1, 2 or 5 times a power of ten", () => {
    expect([0.3, 1, 1.2, 3, 7, 26, 0.04].map(niceStep)).toEqual([0.5, 1, 2, 5, 10, 50, 0.05]);
    expect(niceStep(0)).toBe(1);
    expect(niceStep(Number.NaN)).toBe(1);
  });
});

describe("time axis", () => {
  it("labels ticks HH:MM in UTC, with the date past a day and a half", () => {
    const t = Date.parse("2026-12-01T09:05:00Z");
    expect(tickLabel(t, 3_600_000)).toBe("09:05");
    expect(tickLabel(t, 7 * 86_400_000)).toBe("12-01 09:05");
  });
  it("puts ticks at round UTC times, as many as the width has room for", () => {
    const from = Date.parse("2026-12-01T09:07:00Z");
    expect(tickStepMs(3_600_000, 7)).toBe(10 * 60_000);
    const ticks = timeTicks(from, from + 3_600_000, 490);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(["09:10", "09:20", "09:30", "09:40", "09:50", "10:00"]);
    expect(timeTicks(from, from + 3_600_000, 100).length).toBeLessThanOrEqual(3);
  });
});

describe("series", () => {
  it("breaks the line where the agent was silent for more than three spacings", () => {
    const s = [point(0, { load1: 1 }), point(10_000, { load1: 2 }), point(20_000), point(100_000, { load1: 4 })];
    expect(typicalSpacingMs(s, 1000)).toBe(10_000);
    expect(withGaps(s, "load1", 10_000)).toEqual([
      { x: 0, y: 1 },
      { x: 10_000, y: 2 },
      { x: 20_000, y: null },
      { x: 30_000, y: null },
      { x: 100_000, y: 4 },
    ]);
    expect(seriesMax(s, ["load1", "netRxBps"])).toBe(4);
    expect(seriesMax([], ["load1"])).toBe(0);
  });
  it("groups drift markers closer than a button's width and leaves out those outside the range", () => {
    const area = { left: 0, right: 1000, top: 0, bottom: 100 };
    const markers = [
      { id: "a", ts: 100, summary: "a" },
      { id: "b", ts: 105, summary: "b" },
      { id: "c", ts: 600, summary: "c" },
      { id: "d", ts: 5000, summary: "out" },
    ];
    const groups = groupMarkers(markers, 0, 1000, area);
    expect(groups.map((g) => g.markers.map((m) => m.id))).toEqual([["a", "b"], ["c"]]);
    expect(groups[1]!.left).toBe(600);
  });
});

describe("value axis", () => {
  const labels = (unit: Parameters<typeof valueAxis>[0], max: number) => valueAxis(unit, max).ticks.map((t) => formatValue(unit, t));

  it("never repeats a tick label at low network rates (it read 0 B/s, 1 B/s, 1 B/s)", () => {
    expect(labels("bytes/s", 0.9)).toEqual(["0 B/s", "1 B/s"]);
    expect(labels("bytes/s", 1.4)).toEqual(["0 B/s", "1 B/s", "2 B/s"]);
    for (const max of [0, 0.01, 0.3, 0.9, 1.2, 2.6, 7, 99, 640, 999, 1001, 1530, 12_345, 99_999, 250_000, 3.2e6, 7.7e9]) {
      for (const unit of ["bytes/s", "bytes", "count", "load", "seconds"] as const) {
        const l = labels(unit, max);
        expect(new Set(l).size, `${unit} up to ${max}: ${l.join(", ")}`).toBe(l.length);
      }
    }
  });

  it("starts at 0, covers the data, and keeps to a handful of round ticks", () => {
    for (const max of [0.3, 1.4, 7, 640, 1530, 250_000]) {
      const { max: top, ticks } = valueAxis("bytes/s", max);
      expect(ticks[0]).toBe(0);
      expect(top).toBeGreaterThanOrEqual(max);
      expect(ticks.at(-1)).toBe(top);
      expect(ticks.length).toBeLessThanOrEqual(7);
    }
    expect(valueAxis("count", 0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(valueAxis("count", 230).ticks).toEqual([0, 50, 100, 150, 200, 250]);
    expect(valueAxis("percent", 12)).toEqual({ max: 100, ticks: [0, 20, 40, 60, 80, 100] });
  });
});

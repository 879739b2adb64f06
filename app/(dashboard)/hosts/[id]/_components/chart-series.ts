/**
 * The pure half of the host charts: which charts exist (from the metric registry), the points
 * each line draws, and the axes' ticks and labels. No chart.js or React here, so it is tested
 * directly (chart-series.test.ts).
 */
import type { MetricPoint } from "@/lib/client/types";
import { CHART_GROUPS, metricsInChart, type ChartGroup, type MetricUnit } from "@/lib/protocol/metrics";
import { bytes, bytesPerSecond } from "@/app/_components/format";
import { formatDuration } from "@/lib/format/duration";

export type Field = keyof Omit<MetricPoint, "ts">;
export type ChartLine = { field: Field; label: string; color: string };
export type ChartSpec = { key: ChartGroup; title: string; unit: MetricUnit; lines: ChartLine[] };
export type DriftMarker = { id: string; ts: number; summary: string };
export type Area = { left: number; right: number; top: number; bottom: number };

/** Line colours per chart, in line order; a chart not listed here takes FALLBACK_COLORS. */
const COLORS: Partial<Record<ChartGroup, string[]>> = {
  cpu: ["#2455c3"],
  memory: ["#7a3fc4", "#c77dd6"],
  disk: ["#1f8a4c"],
  load: ["#b35c00", "#e39a3b", "#f0c98f"],
  network: ["#0f7a8a", "#63b7c4"],
};
const FALLBACK_COLORS = ["#3d5a80", "#98c1d9", "#ee6c4d", "#293241"];

/** One chart per registry chart group that has metrics, its lines the group's metrics in registry order. */
export function chartSpecs(): ChartSpec[] {
  return CHART_GROUPS.flatMap(({ key, title }) => {
    const metrics = metricsInChart(key);
    if (!metrics.length) return [];
    const colors = COLORS[key] ?? FALLBACK_COLORS;
    const lines = metrics.map((m, i) => ({
      field: m.name as Field,
      label: ("chart" in m && m.chart.legend) || m.label,
      color: colors[i % colors.length]!,
    }));
    return [{ key, title, unit: metrics[0]!.unit, lines }];
  });
}

export const CHARTS: ChartSpec[] = chartSpecs();

const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** A value as the axis and the tooltip show it. */
export function formatValue(unit: MetricUnit, v: number): string {
  switch (unit) {
    case "percent":
      return `${v.toFixed(1)}%`;
    case "bytes/s":
      return bytesPerSecond(v);
    case "bytes":
      return bytes(v);
    case "seconds":
      return formatDuration(v);
    case "count":
      return COUNT.format(v);
    case "load":
      return v.toFixed(2);
    case "celsius":
      return `${v.toFixed(1)} °C`;
  }
}

/** The smallest tick step worth drawing per unit: a whole byte, process, second; a hundredth of a load. */
const MIN_STEP: Record<MetricUnit, number> = { percent: 0.1, "bytes/s": 1, bytes: 1, count: 1, seconds: 1, load: 0.01, celsius: 0.1 };

/** The smallest 1, 2 or 5 times a power of ten that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw * (1 - 1e-9)) return m * power;
  return 10 * power;
}

/**
 * The value axis: from 0 to a round maximum at or above `dataMax`, at most `maxTicks` + 1 ticks
 * a round step apart, and every tick's label different from its neighbours'. chart.js's own
 * ticks are round numbers that the unit's formatter can print alike (at low network rates
 * 0.2, 0.4, ... all read "0 B/s"); here a step grows until no two labels repeat.
 */
export function valueAxis(unit: MetricUnit, dataMax: number, maxTicks = 5): { max: number; ticks: number[] } {
  if (unit === "percent") return { max: 100, ticks: [0, 20, 40, 60, 80, 100] };
  const top = Number.isFinite(dataMax) && dataMax > 0 ? dataMax : 0;
  let step = niceStep(Math.max(MIN_STEP[unit], top / Math.max(1, maxTicks)));
  // Each round at least doubles the step, so this ends well within the bound.
  for (let round = 0; round < 64; round++) {
    const n = Math.max(1, Math.ceil(top / step - 1e-9));
    const ticks = Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
    const labels = ticks.map((t) => formatValue(unit, t));
    if (labels.every((l, i) => i === 0 || l !== labels[i - 1])) return { max: ticks[ticks.length - 1]!, ticks };
    step = niceStep(step * 1.5);
  }
  return { max: top || 1, ticks: [0, top || 1] };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A time tick: HH:MM in UTC, with the date when the span is longer than a day and a half. */
export function tickLabel(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return spanMs <= 36 * 3_600_000 ? hm : `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${hm}`;
}

const TICK_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * 60_000);

/** A round tick step (whole minutes, hours or days in UTC) giving at most `max` ticks. */
export function tickStepMs(spanMs: number, max: number): number {
  return TICK_STEPS_MS.find((s) => spanMs / s <= max) ?? Math.ceil(spanMs / max / 86_400_000) * 86_400_000;
}

/** Time ticks at round UTC times over [minMs, maxMs], as many as `widthPx` has room for (2..7). */
export function timeTicks(minMs: number, maxMs: number, widthPx: number): number[] {
  const step = tickStepMs(maxMs - minMs, Math.max(2, Math.min(7, Math.floor(widthPx / 70))));
  const ticks: number[] = [];
  for (let t = Math.ceil(minMs / step) * step; t <= maxMs; t += step) ticks.push(t);
  return ticks;
}

/** The usual spacing of the series: the step, or the agent's interval when it reports less often than that. */
export function typicalSpacingMs(series: readonly MetricPoint[], stepMs: number): number {
  const gaps: number[] = [];
  for (let i = 1; i < series.length; i++) gaps.push(Date.parse(series[i]!.ts) - Date.parse(series[i - 1]!.ts));
  if (!gaps.length) return stepMs;
  gaps.sort((a, b) => a - b);
  return Math.max(stepMs, gaps[Math.floor(gaps.length / 2)]!);
}

/** Points with a null where data is missing, so a silent agent shows as a gap, not a straight line. */
export function withGaps(series: readonly MetricPoint[], field: Field, spacingMs: number): { x: number; y: number | null }[] {
  const out: { x: number; y: number | null }[] = [];
  let prev: number | null = null;
  for (const p of series) {
    const x = Date.parse(p.ts);
    if (prev !== null && x - prev > spacingMs * 3) out.push({ x: prev + spacingMs, y: null });
    out.push({ x, y: (p[field] as number | undefined) ?? null });
    prev = x;
  }
  return out;
}

/** The largest value any of `fields` takes in the series (0 when none). */
export function seriesMax(series: readonly MetricPoint[], fields: readonly Field[]): number {
  let max = 0;
  for (const p of series) {
    for (const f of fields) {
      const v = p[f];
      if (typeof v === "number" && v > max) max = v;
    }
  }
  return max;
}

/**
 * Drift markers inside [minMs, maxMs] placed over the plot area; markers closer than a marker
 * button's width (16 px) share one button, which opens the newest of them.
 */
export function groupMarkers(markers: readonly DriftMarker[], minMs: number, maxMs: number, area: Area): { left: number; markers: DriftMarker[] }[] {
  const groups: { left: number; markers: DriftMarker[] }[] = [];
  const spanMs = Math.max(1, maxMs - minMs);
  for (const m of [...markers].filter((m) => m.ts >= minMs && m.ts <= maxMs).sort((a, b) => a.ts - b.ts)) {
    const left = area.left + ((m.ts - minMs) / spanMs) * (area.right - area.left);
    const last = groups[groups.length - 1];
    if (last && left - last.left < 16) last.markers.push(m);
    else groups.push({ left, markers: [m] });
  }
  return groups;
}

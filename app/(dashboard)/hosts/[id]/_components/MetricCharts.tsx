"use client";
/**
 * The host's metric charts. Loaded only in the browser (chartjs-plugin-zoom pulls in hammerjs,
 * which touches `window` when imported). The x axis is linear over epoch milliseconds with our
 * own tick labels: no date adapter is needed.
 */
import { CategoryScale, Chart as ChartJS, Filler, Legend, LineElement, LinearScale, PointElement, Tooltip, type ChartOptions, type ChartType, type Plugin } from "chart.js";
import zoomPlugin from "chartjs-plugin-zoom";
import { useCallback, useMemo, useState } from "react";
import { Line } from "react-chartjs-2";
import type { MetricPoint } from "@/lib/client/types";
import { bytesPerSecond, dateTime } from "@/app/_components/format";

ChartJS.register(LinearScale, CategoryScale, LineElement, PointElement, Filler, Tooltip, Legend, zoomPlugin);

declare module "chart.js" {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Our drift-line plugin: where to draw, and who wants the plot area for the marker buttons. */
    driftLines?: { markers: number[]; onArea: (area: Area) => void } & Partial<Record<"__chartType", TType>>;
  }
}

type Field = keyof Omit<MetricPoint, "ts">;
type Unit = "pct" | "load" | "bps";
export type ChartSpec = { key: string; title: string; unit: Unit; lines: { field: Field; label: string; color: string }[] };
export type DriftMarker = { id: string; ts: number; summary: string };

export const CHARTS: ChartSpec[] = [
  { key: "cpu", title: "CPU", unit: "pct", lines: [{ field: "cpuPct", label: "CPU %", color: "#2455c3" }] },
  {
    key: "memory",
    title: "Memory",
    unit: "pct",
    lines: [
      { field: "memPct", label: "Memory %", color: "#7a3fc4" },
      { field: "swapPct", label: "Swap %", color: "#c77dd6" },
    ],
  },
  { key: "disk", title: "Disk", unit: "pct", lines: [{ field: "diskPct", label: "Disk % (fullest mount)", color: "#1f8a4c" }] },
  {
    key: "load",
    title: "Load",
    unit: "load",
    lines: [
      { field: "load1", label: "1 min", color: "#b35c00" },
      { field: "load5", label: "5 min", color: "#e39a3b" },
      { field: "load15", label: "15 min", color: "#f0c98f" },
    ],
  },
  {
    key: "network",
    title: "Network",
    unit: "bps",
    lines: [
      { field: "netRxBps", label: "Received", color: "#0f7a8a" },
      { field: "netTxBps", label: "Sent", color: "#63b7c4" },
    ],
  },
];

const pad = (n: number) => String(n).padStart(2, "0");
function tickLabel(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return spanMs <= 36 * 3_600_000 ? hm : `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${hm}`;
}

const TICK_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * 60_000);
/** A round tick step (whole minutes, hours or days in UTC) giving at most `max` ticks. */
function tickStepMs(spanMs: number, max: number): number {
  return TICK_STEPS_MS.find((s) => spanMs / s <= max) ?? Math.ceil(spanMs / max / 86_400_000) * 86_400_000;
}

const formatValue = (unit: Unit, v: number) => (unit === "pct" ? `${v.toFixed(1)}%` : unit === "bps" ? bytesPerSecond(v) : v.toFixed(2));

/** The usual spacing of the series: the step, or the agent's interval when it reports less often than that. */
function typicalSpacingMs(series: MetricPoint[], stepMs: number): number {
  const gaps: number[] = [];
  for (let i = 1; i < series.length; i++) gaps.push(Date.parse(series[i]!.ts) - Date.parse(series[i - 1]!.ts));
  if (!gaps.length) return stepMs;
  gaps.sort((a, b) => a - b);
  return Math.max(stepMs, gaps[Math.floor(gaps.length / 2)]!);
}

/** Points with a null where data is missing, so a silent agent shows as a gap, not a straight line. */
function withGaps(series: MetricPoint[], field: Field, spacingMs: number) {
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

type Area = { left: number; right: number; top: number; bottom: number };

/**
 * Dashed lines where the configuration changed, drawn from the chart's own options (so a new
 * marker redraws like any option change), and the plot area handed out for the HTML buttons.
 */
const driftLines: Plugin<"line"> = {
  id: "driftLines",
  afterDatasetsDraw(chart, _args, opts: { markers?: number[]; onArea?: (a: Area) => void }) {
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    if (!x) return;
    ctx.save();
    ctx.strokeStyle = "#d98a00";
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.25;
    for (const ts of opts.markers ?? []) {
      const px = x.getPixelForValue(ts);
      if (px < chartArea.left || px > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
    }
    ctx.restore();
    const area = { left: chartArea.left, right: chartArea.right, top: chartArea.top, bottom: chartArea.bottom };
    // Not during chart.js's draw: React state changes wait for the next microtask.
    queueMicrotask(() => opts.onArea?.(area));
  },
};

function OneChart({
  spec,
  series,
  stepMs,
  minMs,
  maxMs,
  markers,
  onZoom,
  onMarker,
}: {
  spec: ChartSpec;
  series: MetricPoint[];
  stepMs: number;
  minMs: number;
  maxMs: number;
  markers: DriftMarker[];
  onZoom: (fromMs: number, toMs: number) => void;
  onMarker: (id: string) => void;
}) {
  const [area, setArea] = useState<Area | null>(null);
  const onArea = useCallback((a: Area) => setArea((old) => (old && old.left === a.left && old.right === a.right && old.top === a.top ? old : a)), []);

  const present = useMemo(() => spec.lines.filter((l) => series.some((p) => typeof p[l.field] === "number")), [spec, series]);
  const spacingMs = useMemo(() => typicalSpacingMs(series, stepMs), [series, stepMs]);
  const data = useMemo(
    () => ({
      datasets: present.map((l) => ({
        label: l.label,
        data: withGaps(series, l.field, spacingMs),
        borderColor: l.color,
        backgroundColor: l.color + "22",
        fill: present.length === 1,
        borderWidth: 1.5,
        pointRadius: 0,
        pointHitRadius: 6,
        tension: 0,
        spanGaps: false,
      })),
    }),
    [present, series, spacingMs],
  );
  const markerTimes = useMemo(() => markers.map((m) => m.ts), [markers]);

  const spanMs = maxMs - minMs;
  const options = useMemo<ChartOptions<"line">>(
    () => ({
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: {
          type: "linear",
          min: minMs,
          max: maxMs,
          ticks: { maxRotation: 0, autoSkip: false, callback: (v) => tickLabel(Number(v), spanMs), font: { size: 10.5 } },
          // Our own ticks at round UTC times (chart.js's linear ticks are round numbers of milliseconds).
          afterBuildTicks: (scale) => {
            const step = tickStepMs(scale.max - scale.min, Math.max(2, Math.min(7, Math.floor(scale.width / 70))));
            const ticks = [];
            for (let t = Math.ceil(scale.min / step) * step; t <= scale.max; t += step) ticks.push({ value: t });
            scale.ticks = ticks;
          },
          grid: { color: "#eef0f3" },
        },
        y: {
          min: 0,
          ...(spec.unit === "pct" ? { max: 100 } : {}),
          ticks: { maxTicksLimit: 5, callback: (v) => formatValue(spec.unit, Number(v)), font: { size: 10.5 } },
          grid: { color: "#eef0f3" },
        },
      },
      plugins: {
        driftLines: { markers: markerTimes, onArea },
        legend: { display: present.length > 1, position: "top", align: "end", labels: { boxWidth: 10, boxHeight: 2, font: { size: 11 } } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? `${dateTime(items[0].parsed.x ?? 0)} UTC` : ""),
            label: (item) => `${item.dataset.label}: ${item.parsed.y === null ? "—" : formatValue(spec.unit, item.parsed.y)}`,
          },
        },
        zoom: {
          zoom: {
            drag: { enabled: true, backgroundColor: "rgba(36,85,195,0.12)", borderColor: "#2455c3", borderWidth: 1, threshold: 8 },
            wheel: { enabled: false },
            pinch: { enabled: true },
            mode: "x",
            onZoomComplete: ({ chart }) => {
              const s = chart.scales.x;
              if (s && s.max - s.min > 1000) onZoom(Math.round(s.min), Math.round(s.max));
            },
          },
        },
      },
    }),
    [minMs, maxMs, spanMs, spec.unit, present.length, markerTimes, onArea, onZoom],
  );

  // Markers closer than a marker's width share one button, which opens the newest of them.
  const groups: { left: number; markers: DriftMarker[] }[] = [];
  if (area) {
    for (const m of [...markers].filter((m) => m.ts >= minMs && m.ts <= maxMs).sort((a, b) => a.ts - b.ts)) {
      const left = area.left + ((m.ts - minMs) / Math.max(1, spanMs)) * (area.right - area.left);
      const last = groups[groups.length - 1];
      if (last && left - last.left < 16) last.markers.push(m);
      else groups.push({ left, markers: [m] });
    }
  }
  return (
    <figure className="panel chart-panel" data-testid={`chart-${spec.key}`} aria-label={`${spec.title} chart`} style={{ margin: 0 }}>
      <figcaption className="panel-head">
        <h2>{spec.title}</h2>
      </figcaption>
      <div className="panel-body">
        {present.length === 0 ? (
          <p className="state">No {spec.title.toLowerCase()} data in this range.</p>
        ) : (
          <div className="chart-box">
            <Line data={data} options={options} plugins={[driftLines]} />
            <div className="drift-layer">
              {groups.map((g) => {
                const newest = g.markers[g.markers.length - 1]!;
                const label =
                  g.markers.length === 1
                    ? `Configuration change at ${dateTime(newest.ts)} UTC: ${newest.summary}. Open the diff`
                    : `${g.markers.length} configuration changes, the newest at ${dateTime(newest.ts)} UTC. Open the newest diff`;
                return (
                  <button
                    key={newest.id}
                    type="button"
                    className="drift-marker"
                    style={{ left: g.left, top: Math.max(0, (area?.top ?? 0) - 2) }}
                    data-testid="drift-marker"
                    data-snapshot-id={newest.id}
                    aria-label={label}
                    title={g.markers.map((m) => `${dateTime(m.ts)} UTC — ${m.summary}`).join("\n")}
                    onClick={() => onMarker(newest.id)}
                  >
                    {g.markers.length === 1 ? "Δ" : g.markers.length}
                  </button>
                );
              })}
            </div>
          </div>
        )}
      </div>
    </figure>
  );
}

export default function MetricCharts(props: {
  children?: React.ReactNode;
  series: MetricPoint[];
  stepSeconds: number;
  minMs: number;
  maxMs: number;
  markers: DriftMarker[];
  onZoom: (fromMs: number, toMs: number) => void;
  onMarker: (id: string) => void;
}) {
  return (
    <div className="charts">
      {CHARTS.map((spec) => (
        <OneChart key={spec.key} spec={spec} series={props.series} stepMs={props.stepSeconds * 1000} minMs={props.minMs} maxMs={props.maxMs} markers={props.markers} onZoom={props.onZoom} onMarker={props.onMarker} />
      ))}
      {props.children}
    </div>
  );
}

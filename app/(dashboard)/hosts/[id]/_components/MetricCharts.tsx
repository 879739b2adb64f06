"use client";
/**
 * The host's metric charts. Loaded only in the browser (chartjs-plugin-zoom pulls in hammerjs,
 * which touches `window` when imported). The x axis is linear over epoch milliseconds with our
 * own tick labels: no date adapter is needed.
 */
import { CategoryScale, Chart as ChartJS, Filler, Legend, LineElement, LinearScale, PointElement, Tooltip, type ChartOptions } from "chart.js";
import zoomPlugin from "chartjs-plugin-zoom";
import { useCallback, useMemo, useRef, useState } from "react";
import { Line } from "react-chartjs-2";
import type { MetricPoint } from "@/lib/client/types";
import { dateTime } from "@/app/_components/format";
import { CHARTS, formatValue, groupMarkers, seriesMax, tickLabel, timeTicks, typicalSpacingMs, valueAxis, withGaps, type Area, type ChartSpec, type DriftMarker } from "./chart-series";
import { driftLines } from "./drift-lines";

export type { ChartSpec, DriftMarker } from "./chart-series";

ChartJS.register(LinearScale, CategoryScale, LineElement, PointElement, Filler, Tooltip, Legend, zoomPlugin);

/** What every chart of the host page draws from: the series, the visible window, drift markers, and what a drag or a marker click asks for. */
type ChartData = {
  series: MetricPoint[];
  minMs: number;
  maxMs: number;
  markers: DriftMarker[];
  onZoom: (fromMs: number, toMs: number) => void;
  onMarker: (id: string) => void;
  /** A click (not a drag) on the plot: the moment under the pointer. */
  onPoint?: (ms: number) => void;
};

/** A press that moved further than this is a drag (zoom), not a click on a moment. */
const CLICK_SLOP_PX = 5;

function OneChart({
  spec,
  series,
  stepMs,
  minMs,
  maxMs,
  markers,
  onZoom,
  onMarker,
  onPoint,
}: ChartData & { spec: ChartSpec; stepMs: number }) {
  const [area, setArea] = useState<Area | null>(null);
  const pressedAt = useRef<{ x: number; y: number } | null>(null);
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
  const yAxis = useMemo(() => valueAxis(spec.unit, seriesMax(series, present.map((l) => l.field))), [spec.unit, series, present]);

  const spanMs = maxMs - minMs;
  const options = useMemo<ChartOptions<"line">>(
    () => ({
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: "index", intersect: false },
      onClick: (event, _elements, chart) => {
        const native = event.native as MouseEvent | null;
        const down = pressedAt.current;
        if (!onPoint || !native || !down || Math.hypot(native.clientX - down.x, native.clientY - down.y) > CLICK_SLOP_PX) return;
        const x = chart.scales.x;
        const a = chart.chartArea;
        if (!x || event.x === null || event.x < a.left || event.x > a.right) return;
        onPoint(Math.round(x.getValueForPixel(event.x) ?? 0));
      },
      scales: {
        x: {
          type: "linear",
          min: minMs,
          max: maxMs,
          ticks: { maxRotation: 0, autoSkip: false, callback: (v) => tickLabel(Number(v), spanMs), font: { size: 10.5 } },
          // Our own ticks at round UTC times (chart.js's linear ticks are round numbers of milliseconds).
          afterBuildTicks: (scale) => {
            scale.ticks = timeTicks(scale.min, scale.max, scale.width).map((value) => ({ value }));
          },
          grid: { color: "#eef0f3" },
        },
        y: {
          min: 0,
          max: yAxis.max,
          ticks: { autoSkip: false, callback: (v) => formatValue(spec.unit, Number(v)), font: { size: 10.5 } },
          // Our own ticks, whose labels never repeat (see valueAxis).
          afterBuildTicks: (scale) => {
            scale.ticks = yAxis.ticks.map((value) => ({ value }));
          },
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
    [minMs, maxMs, spanMs, spec.unit, yAxis, present.length, markerTimes, onArea, onZoom, onPoint],
  );

  const groups = area ? groupMarkers(markers, minMs, maxMs, area) : [];
  return (
    <figure className="panel chart-panel" data-testid={`chart-${spec.key}`} aria-label={`${spec.title} chart`} style={{ margin: 0 }}>
      <figcaption className="panel-head">
        <h2>{spec.title}</h2>
      </figcaption>
      <div className="panel-body">
        {present.length === 0 ? (
          <p className="state">No {spec.title.toLowerCase()} data in this range.</p>
        ) : (
          <div className="chart-box" onPointerDown={(e) => (pressedAt.current = { x: e.clientX, y: e.clientY })} data-testid={`chart-box-${spec.key}`}>
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

export default function MetricCharts(props: ChartData & { children?: React.ReactNode; stepSeconds: number }) {
  return (
    <div className="charts">
      {CHARTS.map((spec) => (
        <OneChart key={spec.key} spec={spec} series={props.series} stepMs={props.stepSeconds * 1000} minMs={props.minMs} maxMs={props.maxMs} markers={props.markers} onZoom={props.onZoom} onMarker={props.onMarker} onPoint={props.onPoint} />
      ))}
      {props.children}
    </div>
  );
}

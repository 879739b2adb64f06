"use client";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { qs } from "@/lib/client/api";
import { useAlertEventsQuery, useAlertRulesQuery } from "@/lib/client/alerts";
import { useHostQuery } from "@/lib/client/hosts";
import { useMetricsQuery } from "@/lib/client/metrics";
import { useSnapshotsQuery } from "@/lib/client/snapshots";
import type { HostSummary } from "@/lib/client/types";
import type { DiskUsage } from "@/lib/protocol/index";
import { CHART_GROUPS } from "@/lib/protocol/metrics";
import { Empty, Loading, Panel } from "@/app/_components/Panel";
import { QueryBody } from "@/app/_components/QueryPanel";
import { StatusBadge } from "@/app/_components/StatusBadge";
import { bytes, dateTime, relativeTime } from "@/app/_components/format";
import { formatDuration } from "@/lib/format/duration";
import { useNow } from "@/app/_components/useNow";
import { ConfigPanel } from "./ConfigPanel";
import { DiffPanel } from "./DiffPanel";
import { PRESET_MS, RangePicker, type Range } from "./RangePicker";
import { ReenrollmentPanel } from "./ReenrollmentPanel";
import { ProcessesPanel } from "./ProcessesPanel";
import { peakMoment } from "./moment";
import { pointsFor } from "./chart-points";
import { Timeline } from "./Timeline";
import type { DriftMarker } from "./MetricCharts";

const loadCharts = () => import("./MetricCharts");
// The fallback fills the space the charts will take (see chartSlotRows), so nothing below them moves.
const MetricCharts = dynamic(loadCharts, {
  ssr: false,
  loading: () => (
    <div className="charts-pending">
      <Loading what="Loading charts…" />
    </div>
  ),
});

/** Rows the chart grid takes at 3, 2 and 1 columns (globals.css), for every chart and the mounts panel. */
function chartSlotRows(items: number): React.CSSProperties {
  return { "--rows-3": Math.ceil(items / 3), "--rows-2": Math.ceil(items / 2), "--rows-1": items } as React.CSSProperties;
}

function useQueryParam(name: string): [string | null, (v: string | null) => void] {
  const [value, setValue] = useState<string | null>(null);
  useEffect(() => {
    // After hydration (the server cannot see it): the snapshot a shared link points at.
    const t = setTimeout(() => setValue(new URLSearchParams(window.location.search).get(name)), 0);
    return () => clearTimeout(t);
  }, [name]);
  const set = useCallback(
    (v: string | null) => {
      setValue(v);
      const url = new URL(window.location.href);
      if (v) url.searchParams.set(name, v);
      else url.searchParams.delete(name);
      window.history.replaceState(window.history.state, "", url);
    },
    [name],
  );
  return [value, set];
}

export function HostDetail({
  initialHost,
  disks,
  initialNowMs,
  canAdmin = false,
}: {
  initialHost: HostSummary;
  disks: { ts: string; disks: DiskUsage[] } | null;
  initialNowMs: number;
  /** Shows the re-enrollment requests with their approve/reject buttons. */
  canAdmin?: boolean;
}) {
  const hostQ = useHostQuery(initialHost.id, initialHost);
  const host = hostQ.data ?? initialHost;
  const now = useNow(initialNowMs);
  const [range, setRange] = useState<Range>({ kind: "preset", preset: "1h" });
  // Null until the chart width is measured: the first request already asks for the right number of points.
  const [points, setPoints] = useState<number | null>(null);
  const chartsRef = useRef<HTMLDivElement>(null);
  const diffRef = useRef<HTMLElement>(null);
  const [selectedParam, setSelectedParam] = useQueryParam("snapshot");
  const [against, setAgainst] = useState("previous");
  // The moment the processes panel explains; null: now.
  const [momentMs, setMomentMs] = useState<number | null>(null);
  const processesRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // The chart code loads while the metrics are fetched, not after.
    void loadCharts();
  }, []);

  useLayoutEffect(() => {
    const el = chartsRef.current;
    if (!el) return;
    const measure = () => setPoints(pointsFor(el.clientWidth, window.innerWidth));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const query =
    range.kind === "preset"
      ? { from: `-${range.preset}`, to: "now", live: true }
      : { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), live: false };
  const metrics = useMetricsQuery({ hostId: host.id, ...query, points: points ?? 0 });
  const snapshots = useSnapshotsQuery(host.id);
  const events = useAlertEventsQuery({ hostId: host.id });
  const rules = useAlertRulesQuery();

  const minMs = range.kind === "custom" ? range.fromMs : metrics.data && !metrics.isPlaceholderData ? Date.parse(metrics.data.from) : now - PRESET_MS[range.preset];
  const maxMs = range.kind === "custom" ? range.toMs : metrics.data && !metrics.isPlaceholderData ? Date.parse(metrics.data.to) : now;

  const markers = useMemo<DriftMarker[]>(() => {
    // `changed`: the snapshot has a diff against an earlier one (a host's first snapshot has none).
    return (snapshots.data ?? []).filter((s) => s.changed).map((s) => ({ id: s.id, ts: Date.parse(s.ts), summary: s.summary }));
  }, [snapshots.data]);

  const selected = selectedParam ?? snapshots.data?.[0]?.id ?? null;
  const openDiff = useCallback(
    (id: string) => {
      setSelectedParam(id);
      setAgainst("previous");
      requestAnimationFrame(() => {
        diffRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
        diffRef.current?.focus({ preventScroll: true });
      });
    },
    [setSelectedParam],
  );
  const series = metrics.data?.series;
  const onZoom = useCallback(
    (fromMs: number, toMs: number) => {
      setRange((r) => ({ kind: "custom", fromMs, toMs, zoomedFrom: r.kind === "preset" ? r.preset : r.zoomedFrom ?? "1h" }));
      // A dragged range asks "what happened here": explain its busiest moment.
      setMomentMs(peakMoment(series ?? [], fromMs, toMs));
    },
    [series],
  );
  const onPoint = useCallback((ms: number) => {
    setMomentMs(ms);
    requestAnimationFrame(() => processesRef.current?.scrollIntoView({ behavior: "smooth", block: "nearest" }));
  }, []);

  return (
    <>
      <div className="crumbs">
        <Link href="/">Hosts</Link> / {host.hostname}
      </div>
      <div className="page-head">
        <h1>{host.hostname}</h1>
        <StatusBadge status={host.status} />
        <span className="muted">last seen {relativeTime(host.lastSeenAt, now)}</span>
        {host.openAlerts > 0 ? (
          <Link href={`/alerts?hostId=${host.id}`} className="badge alert-count">
            {host.openAlerts} open alert{host.openAlerts === 1 ? "" : "s"}
          </Link>
        ) : null}
      </div>
      <dl className="facts">
        {(
          [
            ["IP", host.ip],
            ["OS", host.os],
            ["Kernel", host.kernel],
            ["Arch", host.arch],
            ["Agent", host.agentVersion],
            ["Agent update", host.agentUpdateState],
            ["Agent spool", host.agentSpoolDepth === null ? null : `${host.agentSpoolDepth} sample${host.agentSpoolDepth === 1 ? "" : "s"} waiting`],
            ["Uptime", host.latest ? formatDuration(host.latest.uptimeS) : null],
            ["Enrolled", `${dateTime(host.enrolledAt)} UTC`],
          ] as const
        ).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className={k === "Kernel" || k === "IP" ? "mono" : undefined}>{v ?? "—"}</dd>
          </div>
        ))}
      </dl>

      {host.agentNotice ? (
        <p className="form-error" data-testid="agent-notice">
          The server refused this host&apos;s agent: {host.agentNotice}
        </p>
      ) : null}

      {canAdmin ? <ReenrollmentPanel hostId={host.id} /> : null}

      <div className="range-bar" style={{ justifyContent: "space-between" }}>
        <RangePicker range={range} onChange={setRange} />
        <span className="legend-note">
          <span>Click a chart for the processes at that moment; drag across it to zoom.</span>
          <span>
            <span className="legend-drift" aria-hidden="true" />
            configuration change (click for the diff)
          </span>
          <span>Times in UTC{metrics.data ? ` · ${metrics.data.stepSeconds}s buckets` : ""}</span>
          {metrics.isFetching ? <span aria-live="polite">updating…</span> : null}
          <span className="export-links">
            Export:{" "}
            <a href={`/api/metrics/export${qs({ hostId: host.id, from: query.from, to: query.to, format: "csv" })}`} download data-testid="export-csv">
              CSV
            </a>{" "}
            ·{" "}
            <a href={`/api/metrics/export${qs({ hostId: host.id, from: query.from, to: query.to, format: "json" })}`} download data-testid="export-json">
              JSON
            </a>
          </span>
        </span>
      </div>

      <div
        ref={chartsRef}
        className={`charts-slot${metrics.isPending ? " charts-pending" : ""}`}
        style={chartSlotRows(CHART_GROUPS.length + 1)}
        data-testid="charts"
        data-points={points ?? ""}
        data-from={minMs}
        data-to={maxMs}
      >
        <QueryBody
          query={metrics}
          what="metrics"
          isEmpty={(d) => d.series.length === 0}
          bareEmpty
          empty={
            <div className="panel">
              <Empty>No samples in this range. {host.status === "new" ? "The agent has not reported yet." : "Pick a longer range."}</Empty>
            </div>
          }
        >
          {(data) => (
            <MetricCharts series={data.series} stepSeconds={data.stepSeconds} minMs={minMs} maxMs={maxMs} markers={markers} onZoom={onZoom} onMarker={openDiff} onPoint={onPoint}>
              <MountsPanel disks={disks} />
            </MetricCharts>
          )}
        </QueryBody>
      </div>


      <div ref={processesRef}>
        <ProcessesPanel hostId={host.id} atMs={momentMs} snapshots={snapshots.data} onOpenDiff={openDiff} onNow={() => setMomentMs(null)} />
      </div>

      <DiffPanel ref={diffRef} snapshots={snapshots} selected={selected} against={against} onSelect={(id) => setSelectedParam(id)} onAgainst={setAgainst} />

      <div className="grid-2">
        <ConfigPanel snapshots={snapshots} />
        <Timeline snapshots={snapshots.data} events={events.data} eventsError={events.error} rules={rules.data} series={metrics.data?.series} onOpenDiff={openDiff} />
      </div>
    </>
  );
}

function MountsPanel({ disks }: { disks: { ts: string; disks: DiskUsage[] } | null }) {
  return (
    <Panel title="Disk usage by mount" id="mounts" actions={disks ? <span className="muted small">as of {dateTime(disks.ts)} UTC</span> : null}>
      {!disks || disks.disks.length === 0 ? (
        <Empty>The agent has not reported per-mount usage in the last day.</Empty>
      ) : (
        <div className="mounts" data-testid="mounts">
          {disks.disks.map((d) => (
            <div className="mount" key={d.mount}>
              <span className="mono">{d.mount}</span>
              <span className={`bar ${d.pct >= 90 ? "hot" : d.pct >= 75 ? "warm" : ""}`} role="meter" aria-valuenow={Math.round(d.pct)} aria-valuemin={0} aria-valuemax={100} aria-label={`${d.mount} used`}>
                <span style={{ width: `${Math.min(100, d.pct)}%` }} />
              </span>
              <span className="small nowrap">
                {d.pct.toFixed(0)}% · {bytes(d.usedBytes)} / {bytes(d.totalBytes)}
              </span>
            </div>
          ))}
        </div>
      )}
    </Panel>
  );
}

import Link from "next/link";
import type { HostSparkline, HostSummary } from "@/lib/client/types";
import { LabelChips } from "@/app/_components/LabelChips";
import { StatusBadge } from "@/app/_components/StatusBadge";
import { Sparkline } from "@/app/_components/Sparkline";
import type { Column } from "@/app/_components/DataTable";
import { pct, relativeTime } from "@/app/_components/format";

export const HOST_COLUMNS: Column[] = [
  { key: "status", label: "Status", sortable: true },
  { key: "hostname", label: "Host", sortable: true },
  { key: "cpu", label: "CPU", className: "num", sortable: true },
  { key: "mem", label: "Memory", className: "num", sortable: true },
  { key: "disk", label: "Disk", className: "num", sortable: true },
  { key: "os", label: "OS / kernel", className: "hide-narrow" },
  { key: "alerts", label: "Alerts", className: "num", sortable: true },
  { key: "lastSeen", label: "Last seen", sortable: true },
];

const METRICS = [
  ["cpu", "cpu", "cpuPct"],
  ["mem", "memory", "memPct"],
  ["disk", "disk", "diskPct"],
] as const;

/** One host of the overview: status, name and address, the three gauges with their last hour, OS, open alerts, last report. */
export function HostRow({ host: h, spark, now, inMaintenance = false }: { host: HostSummary; spark: HostSparkline | undefined; now: number; inMaintenance?: boolean }) {
  return (
    <tr data-testid="host-row" data-host={h.hostname}>
      <td>
        <StatusBadge status={h.status} />
        {inMaintenance ? (
          <span className="badge state-maintenance" style={{ marginLeft: 4 }} title="A maintenance window covers this host: its alerts are recorded, not notified" data-testid="host-maintenance">
            maintenance
          </span>
        ) : null}
      </td>
      <td>
        <div className="host-cell">
          <Link href={`/hosts/${h.id}`} className="host-link">
            {h.hostname}
          </Link>
          <span className="muted small mono">{h.ip ?? ""}</span>
          <LabelChips labels={h.labels} sources={h.labelSources} />
        </div>
      </td>
      {METRICS.map(([k, label, field]) => (
        <td key={k} className="num metric-cell">
          <span className="metric-value">{pct(h.latest?.[field])}</span>
          <Sparkline v={spark?.[k]} label={`${h.hostname} ${label}`} />
        </td>
      ))}
      <td className="hide-narrow">
        <div className="os-cell">
          <span>{h.os ?? "—"}</span>
          <span className="muted small mono">{h.kernel ?? ""}</span>
        </div>
      </td>
      <td className="num">
        {h.openAlerts > 0 ? (
          <Link href={`/alerts?hostId=${h.id}`} className="badge alert-count">
            {h.openAlerts}
          </Link>
        ) : (
          <span className="muted">0</span>
        )}
      </td>
      <td title={h.lastSeenAt ?? "never"} className="nowrap">
        {relativeTime(h.lastSeenAt, now)}
      </td>
    </tr>
  );
}

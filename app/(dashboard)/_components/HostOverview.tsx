"use client";
import Link from "next/link";
import { useMemo, useState, type ReactNode } from "react";
import { useHostsQuery, useSparklinesQuery } from "@/lib/client/hosts";
import { errorText } from "@/lib/client/api";
import type { HostSummary } from "@/lib/client/types";
import { Empty, ErrorState, Loading } from "@/app/_components/Panel";
import { StatusBadge } from "@/app/_components/StatusBadge";
import { Sparkline } from "@/app/_components/Sparkline";
import { pct, relativeTime } from "@/app/_components/format";
import { useNow } from "@/app/_components/useNow";
import { Field } from "@/app/_components/Field";

type SortKey = "hostname" | "status" | "cpu" | "mem" | "disk" | "alerts" | "lastSeen";
const STATUS_ORDER = { down: 0, new: 1, up: 2 } as const;
/** Rows per page: the default sort puts down and alerting hosts first, and 500 rows of sparklines are slow to paint. */
const PAGE_SIZE = 100;

const sorters: Record<SortKey, (a: HostSummary, b: HostSummary) => number> = {
  hostname: (a, b) => a.hostname.localeCompare(b.hostname),
  status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
  cpu: (a, b) => (a.latest?.cpuPct ?? -1) - (b.latest?.cpuPct ?? -1),
  mem: (a, b) => (a.latest?.memPct ?? -1) - (b.latest?.memPct ?? -1),
  disk: (a, b) => (a.latest?.diskPct ?? -1) - (b.latest?.diskPct ?? -1),
  alerts: (a, b) => a.openAlerts - b.openAlerts,
  lastSeen: (a, b) => (a.lastSeenAt ? Date.parse(a.lastSeenAt) : 0) - (b.lastSeenAt ? Date.parse(b.lastSeenAt) : 0),
};

function matches(h: HostSummary, q: string) {
  if (!q) return true;
  return [h.hostname, h.ip, h.os, h.kernel, h.status].some((f) => f?.toLowerCase().includes(q));
}

export function HostOverview({
  initialHosts,
  initialNowMs,
  canEnroll,
  aside,
}: {
  initialHosts: HostSummary[];
  initialNowMs: number;
  /** Shown between the fleet summary and the table (the fleet's configuration changes). */
  aside?: ReactNode;
  canEnroll: boolean;
}) {
  const hosts = useHostsQuery(initialHosts);
  const sparks = useSparklinesQuery();
  const now = useNow(initialNowMs);
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<"" | HostSummary["status"]>("");
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: "status", dir: 1 });
  const [page, setPage] = useState(0);

  const list = useMemo(() => hosts.data ?? [], [hosts.data]);
  const visible = useMemo(() => {
    const q = query.trim().toLowerCase();
    const cmp = sorters[sort.key];
    return list
      .filter((h) => matches(h, q) && (!status || h.status === status))
      .sort((a, b) => sort.dir * cmp(a, b) || a.hostname.localeCompare(b.hostname));
  }, [list, query, status, sort]);

  const counts = useMemo(() => {
    const c = { up: 0, down: 0, new: 0, alerts: 0 };
    for (const h of list) {
      c[h.status]++;
      c.alerts += h.openAlerts;
    }
    return c;
  }, [list]);

  const pages = Math.max(1, Math.ceil(visible.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = visible.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);

  const toggleSort = (key: SortKey) => {
    setPage(0);
    setSort((s) => (s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: key === "hostname" || key === "status" ? 1 : -1 }));
  };
  const th = (key: SortKey, label: string, className?: string) => (
    <th scope="col" className={className} aria-sort={sort.key === key ? (sort.dir === 1 ? "ascending" : "descending") : "none"}>
      <button type="button" className="sort" onClick={() => toggleSort(key)}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {sort.key === key ? (sort.dir === 1 ? "▲" : "▼") : ""}
        </span>
      </button>
    </th>
  );

  if (hosts.isPending) return <Loading what="Loading hosts…" />;
  if (hosts.isError && !hosts.data) return <ErrorState onRetry={() => void hosts.refetch()}>Could not load hosts: {errorText(hosts.error)}</ErrorState>;

  if (list.length === 0) {
    return (
      <>
        <div className="page-head">
          <h1>Hosts</h1>
        </div>
        <div className="panel">
          <div className="onboarding" data-testid="empty-hosts">
            <h2>No hosts yet</h2>
            <p>Infra-Watch learns about a VM when its agent enrolls. To add the first one:</p>
            <ol>
              <li>
                {canEnroll ? (
                  <>
                    Open <Link href="/settings/agents">Settings → Agents</Link> and create an enrollment token.
                  </>
                ) : (
                  <>Ask an administrator for an enrollment token (Settings → Agents).</>
                )}
              </li>
              <li>Run the one-line install command shown there on the VM, as root.</li>
              <li>The host appears here within a minute, with live CPU, memory and disk.</li>
            </ol>
          </div>
        </div>
      </>
    );
  }

  return (
    <>
      <div className="page-head">
        <h1>Hosts</h1>
        <ul className="counters" aria-label="Fleet summary">
          <li>
            <strong>{list.length}</strong> hosts
          </li>
          <li className="c-up">
            <strong>{counts.up}</strong> up
          </li>
          <li className="c-down">
            <strong>{counts.down}</strong> down
          </li>
          <li className="c-new">
            <strong>{counts.new}</strong> new
          </li>
          <li className={counts.alerts ? "c-alert" : undefined}>
            <strong>{counts.alerts}</strong> open alerts
          </li>
        </ul>
        {hosts.isError ? <span className="stale" title={errorText(hosts.error)}>Live updates paused: {errorText(hosts.error)}</span> : null}
      </div>
      {aside}
      <div className="toolbar">
        <Field label="Search" className="field-inline">
          {(p) => (
            <input {...p} type="search" value={query} onChange={(e) => {
                setQuery(e.target.value);
                setPage(0);
              }} placeholder="hostname, IP, OS, kernel" />
          )}
        </Field>
        <Field label="Status" className="field-inline">
          {(p) => (
            <select
              {...p}
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as typeof status);
                setPage(0);
              }}
            >
              <option value="">All</option>
              <option value="up">Up</option>
              <option value="down">Down</option>
              <option value="new">New</option>
            </select>
          )}
        </Field>
        <span className="muted small">
          {visible.length === list.length ? `${list.length} hosts` : `${visible.length} of ${list.length} hosts`} · refreshes every 15 s
        </span>
      </div>
      <div className="table-wrap">
        <table className="table hosts-table">
          <thead>
            <tr>
              {th("status", "Status")}
              {th("hostname", "Host")}
              {th("cpu", "CPU", "num")}
              {th("mem", "Memory", "num")}
              {th("disk", "Disk", "num")}
              <th scope="col" className="hide-narrow">
                OS / kernel
              </th>
              {th("alerts", "Alerts", "num")}
              {th("lastSeen", "Last seen")}
            </tr>
          </thead>
          <tbody>
            {shown.map((h) => {
              const s = sparks.data?.hosts[h.id];
              return (
                <tr key={h.id} data-testid="host-row" data-host={h.hostname}>
                  <td>
                    <StatusBadge status={h.status} />
                  </td>
                  <td>
                    <div className="host-cell">
                      <Link href={`/hosts/${h.id}`} className="host-link">
                        {h.hostname}
                      </Link>
                      <span className="muted small mono">{h.ip ?? ""}</span>
                    </div>
                  </td>
                  {(["cpu", "mem", "disk"] as const).map((k) => {
                    const value = k === "cpu" ? h.latest?.cpuPct : k === "mem" ? h.latest?.memPct : h.latest?.diskPct;
                    return (
                      <td key={k} className="num metric-cell">
                        <span className="metric-value">{pct(value)}</span>
                        <Sparkline v={s?.[k]} label={`${h.hostname} ${k === "mem" ? "memory" : k}`} />
                      </td>
                    );
                  })}
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
            })}
          </tbody>
        </table>
        {visible.length === 0 ? <Empty>No host matches these filters.</Empty> : null}
      </div>
      {pages > 1 ? (
        <nav className="pager" aria-label="Host pages">
          <button type="button" className="btn btn-small" disabled={current === 0} onClick={() => setPage(current - 1)}>
            Previous
          </button>
          <span className="muted small" data-testid="pager-status">
            {current * PAGE_SIZE + 1}–{Math.min(visible.length, (current + 1) * PAGE_SIZE)} of {visible.length}
          </span>
          <button type="button" className="btn btn-small" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next
          </button>
        </nav>
      ) : null}
    </>
  );
}

"use client";
import Link from "next/link";
import { useMemo, type ReactNode } from "react";
import { useHostsQuery, useSparklinesQuery } from "@/lib/client/hosts";
import { useHostsInMaintenanceQuery } from "@/lib/client/alerts";
import { errorText } from "@/lib/client/api";
import type { HostSummary } from "@/lib/client/types";
import { QueryBody } from "@/app/_components/QueryPanel";
import { DataTable } from "@/app/_components/DataTable";
import { Field, SelectField } from "@/app/_components/Field";
import { useNow } from "@/app/_components/useNow";
import { fleetCounts, type StatusFilter } from "./host-list";
import { useHostTable } from "./useHostTable";
import { FleetSummary } from "./FleetSummary";
import { HOST_COLUMNS, HostRow } from "./HostRow";

const STATUS_OPTIONS: readonly (readonly [StatusFilter, string])[] = [
  ["", "All"],
  ["up", "Up"],
  ["down", "Down"],
  ["new", "New"],
];

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
  return (
    <QueryBody query={hosts} what="hosts" showStale={false} bareEmpty empty={<Onboarding canEnroll={canEnroll} />}>
      {(list) => <HostFleet list={list} staleError={hosts.isError ? hosts.error : null} initialNowMs={initialNowMs} aside={aside} />}
    </QueryBody>
  );
}

function Onboarding({ canEnroll }: { canEnroll: boolean }) {
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

function HostFleet({ list, staleError, initialNowMs, aside }: { list: HostSummary[]; staleError: unknown; initialNowMs: number; aside?: ReactNode }) {
  const sparks = useSparklinesQuery();
  const maintenance = useHostsInMaintenanceQuery();
  const now = useNow(initialNowMs);
  const table = useHostTable(list);
  const counts = useMemo(() => fleetCounts(list), [list]);

  return (
    <>
      <div className="page-head">
        <h1>Hosts</h1>
        <FleetSummary counts={counts} />
        {staleError ? (
          <span className="stale" title={errorText(staleError)}>
            Live updates paused: {errorText(staleError)}
          </span>
        ) : null}
      </div>
      {aside}
      <div className="toolbar">
        <Field label="Search" className="field-inline">
          {(p) => <input {...p} type="search" value={table.query} onChange={(e) => table.setQuery(e.target.value)} placeholder="hostname, IP, OS, kernel" />}
        </Field>
        <SelectField label="Status" value={table.status} options={STATUS_OPTIONS} onChange={table.setStatus} />
        <span className="muted small">
          {table.visible.length === list.length ? `${list.length} hosts` : `${table.visible.length} of ${list.length} hosts`} · refreshes every 15 s
        </span>
      </div>
      <DataTable
        caption="Hosts"
        className="hosts-table"
        columns={HOST_COLUMNS}
        rows={table.rows}
        rowKey={(h) => h.id}
        row={(h) => <HostRow host={h} spark={sparks.data?.hosts[h.id]} now={now} inMaintenance={maintenance.data?.has(h.id)} />}
        empty="No host matches these filters."
        sort={table.sort}
        onSort={table.toggleSort}
      />
      {table.pages > 1 ? (
        <nav className="pager" aria-label="Host pages">
          <button type="button" className="btn btn-small" disabled={table.page === 0} onClick={() => table.setPage(table.page - 1)}>
            Previous
          </button>
          <span className="muted small" data-testid="pager-status">
            {table.first}–{table.last} of {table.visible.length}
          </span>
          <button type="button" className="btn btn-small" disabled={table.page >= table.pages - 1} onClick={() => table.setPage(table.page + 1)}>
            Next
          </button>
        </nav>
      ) : null}
    </>
  );
}

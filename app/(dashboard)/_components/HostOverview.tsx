"use client";
import Link from "next/link";
import { useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useHostsQuery, useSparklinesQuery } from "@/lib/client/hosts";
import { useHostsInMaintenanceQuery } from "@/lib/client/alerts";
import { ApiError, errorText } from "@/lib/client/api";
import type { HostSummary } from "@/lib/client/types";
import { QueryBody } from "@/app/_components/QueryPanel";
import { DataTable } from "@/app/_components/DataTable";
import { Field, SelectField } from "@/app/_components/Field";
import { useNow } from "@/app/_components/useNow";
import { useUrlParam } from "@/app/_components/useUrlParam";
import { fleetCounts, groupTitle, groupValue, labelKeys, type StatusFilter } from "./host-list";
import { useHostTable } from "./useHostTable";
import { FleetSummary } from "./FleetSummary";
import { HOST_COLUMNS, HostRow } from "./HostRow";

const STATUS_OPTIONS: readonly (readonly [StatusFilter, string])[] = [
  ["", "All"],
  ["up", "Up"],
  ["down", "Down"],
  ["new", "New"],
];

/** The label filter and grouping, as the URL carries them (`?selector=env%3Dprod&group=team`). */
type LabelView = { selector: string; setSelector: (s: string) => void; groupBy: string; setGroupBy: (k: string) => void; selectorError: string | null };

export function HostOverview({
  initialHosts,
  initialNowMs,
  initialSelector = "",
  initialGroupBy = "",
  canEnroll,
  aside,
}: {
  /** The first paint, for `initialSelector` (absent when the server could not apply it). */
  initialHosts?: HostSummary[];
  initialNowMs: number;
  initialSelector?: string;
  initialGroupBy?: string;
  /** Shown between the fleet summary and the table (the fleet's configuration changes). */
  aside?: ReactNode;
  canEnroll: boolean;
}) {
  const [selector, setSelector] = useUrlParam("selector", initialSelector);
  const [groupBy, setGroupBy] = useUrlParam("group", initialGroupBy);
  const hosts = useHostsQuery(selector === initialSelector ? initialHosts : undefined, selector);
  // A refused selector is the filter's own message (the server names the position); anything else pauses live updates.
  const refused = hosts.isError && hosts.error instanceof ApiError && hosts.error.status === 400 ? hosts.error.message : null;
  const view: LabelView = { selector, setSelector, groupBy, setGroupBy, selectorError: refused };
  const staleError = hosts.isError && !refused ? hosts.error : null;
  if (!selector) {
    return (
      <QueryBody query={hosts} what="hosts" showStale={false} bareEmpty empty={<Onboarding canEnroll={canEnroll} />}>
        {(list) => <HostFleet list={list} staleError={staleError} initialNowMs={initialNowMs} aside={aside} view={view} />}
      </QueryBody>
    );
  }
  // Filtered: the filter stays on screen whatever the answer, so a mistake can be corrected.
  return <HostFleet list={refused ? [] : (hosts.data ?? [])} loading={hosts.isPending} staleError={staleError} initialNowMs={initialNowMs} aside={aside} view={view} />;
}

/** The label selector: applied on Enter or Apply, cleared with Clear; the server's refusal shown under it. */
function SelectorFilter({ view }: { view: LabelView }) {
  const [draft, setDraft] = useState(view.selector);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    view.setSelector(draft.trim());
  };
  return (
    <form className="selector-form" onSubmit={apply} role="search" aria-label="Filter hosts by label">
      <Field label="Label selector" className="field-inline" error={view.selectorError ?? undefined}>
        {(p) => <input {...p} type="text" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="env=prod,role!=db,team in (a,b)" spellCheck={false} autoComplete="off" data-testid="selector-input" />}
      </Field>
      <button type="submit" className="btn btn-small">
        Apply
      </button>
      {view.selector ? (
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => {
            setDraft("");
            view.setSelector("");
          }}
        >
          Clear
        </button>
      ) : null}
    </form>
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

function HostFleet({
  list,
  staleError,
  initialNowMs,
  aside,
  view,
  loading = false,
}: {
  list: HostSummary[];
  staleError: unknown;
  initialNowMs: number;
  aside?: ReactNode;
  view: LabelView;
  loading?: boolean;
}) {
  const sparks = useSparklinesQuery();
  const maintenance = useHostsInMaintenanceQuery();
  const now = useNow(initialNowMs);
  const table = useHostTable(list, view.groupBy);
  const counts = useMemo(() => fleetCounts(list), [list]);
  const keys = useMemo(() => labelKeys(list), [list]);
  // A key no host has any more (or one from a shared link) stays selectable, so the choice is visible.
  const groupOptions = useMemo(
    () => [["", "None"] as const, ...[...new Set([...keys, ...(view.groupBy ? [view.groupBy] : [])])].sort().map((k) => [k, k] as const)],
    [keys, view.groupBy],
  );
  const what = view.selector ? "matching hosts" : "hosts";

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
        <SelectField label="Group by" value={view.groupBy} options={groupOptions} onChange={view.setGroupBy} testId="group-by" />
        <span className="muted small" data-testid="host-count">
          {loading ? "Loading…" : table.visible.length === list.length ? `${list.length} ${what}` : `${table.visible.length} of ${list.length} ${what}`} · refreshes every 15 s
        </span>
      </div>
      <div className="toolbar">
        <SelectorFilter view={view} />
      </div>
      <DataTable
        caption="Hosts"
        className="hosts-table"
        columns={HOST_COLUMNS}
        rows={table.rows}
        rowKey={(h) => h.id}
        row={(h) => <HostRow host={h} spark={sparks.data?.hosts[h.id]} now={now} inMaintenance={maintenance.data?.has(h.id)} />}
        empty={view.selectorError ? "Correct the label selector to see hosts." : loading ? "Loading…" : "No host matches these filters."}
        group={view.groupBy ? (h) => groupTitle(view.groupBy, groupValue(h, view.groupBy)) : undefined}
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

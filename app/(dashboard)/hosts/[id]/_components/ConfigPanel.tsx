"use client";
import { useMemo, useState } from "react";
import { isRedactedValue } from "@/lib/protocol/constants";
import { useSnapshotDiffQuery, useSnapshotQuery } from "@/lib/client/snapshots";
import type { Package, SnapshotDetail, SnapshotSummary } from "@/lib/client/types";
import { QueryBody, QueryPanel } from "@/app/_components/QueryPanel";
import { DataTable } from "@/app/_components/DataTable";
import type { QueryLike } from "@/app/_components/query-view";
import { dateTime } from "@/app/_components/format";
import { Field } from "@/app/_components/Field";
import type { ListSection } from "@/lib/snapshots/sections";
import { packageKey, packagesNote, searchPackages, sortedEnv } from "./config-view";
import { SECTION_VIEWS, presentSections, sectionChanges, sectionTable } from "./sections-view";

/** The latest configuration: packages (searchable), environment (redacted values shown as such), kernel. */
export function ConfigPanel({ snapshots }: { snapshots: QueryLike<SnapshotSummary[]> & { refetch: () => unknown } }) {
  return (
    <QueryPanel
      title="Configuration"
      id="config"
      flush={false}
      query={snapshots}
      what="snapshots"
      empty="No configuration snapshot yet. The agent sends one shortly after it enrolls, then whenever the configuration changes."
    >
      {(list) => <LatestSnapshot id={list[0]!.id} changed={list[0]!.changed} />}
    </QueryPanel>
  );
}

function LatestSnapshot({ id, changed }: { id: string; changed: boolean }) {
  const snap = useSnapshotQuery(id);
  return (
    <QueryBody query={snap} what="the snapshot" isEmpty={() => false} empty={null}>
      {(data) => <SnapshotView snap={data} changed={changed} />}
    </QueryBody>
  );
}

type Tab = "packages" | "env" | ListSection | "sysctl";

function SnapshotView({ snap, changed }: { snap: SnapshotDetail; changed: boolean }) {
  const [tab, setTab] = useState<Tab>("packages");
  const sections = presentSections(snap.sections);
  const [q, setQ] = useState("");
  const packages = useMemo(() => searchPackages(snap.packages, q), [snap.packages, q]);
  const env = useMemo(() => sortedEnv(snap.env), [snap.env]);
  return (
    <>
      <dl className="facts" style={{ marginBottom: 8 }}>
        <div>
          <dt>Kernel</dt>
          <dd className="mono" data-testid="config-kernel">
            {snap.kernel ?? "—"}
          </dd>
        </div>
        <div>
          <dt>OS</dt>
          <dd>{snap.os ?? "—"}</dd>
        </div>
        <div>
          <dt>Taken</dt>
          <dd>{dateTime(snap.ts)} UTC</dd>
        </div>
      </dl>
      <div className="tabs" role="tablist" aria-label="Configuration">
        <button type="button" role="tab" aria-selected={tab === "packages"} onClick={() => setTab("packages")}>
          Packages ({packages.total})
        </button>
        <button type="button" role="tab" aria-selected={tab === "env"} onClick={() => setTab("env")}>
          Environment ({env.length})
        </button>
        {sections.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={tab === s} onClick={() => setTab(s)} data-testid={`tab-${s}`}>
            {SECTION_VIEWS[s].label} ({snap.sections[s]!.length})
          </button>
        ))}
        {snap.sections.sysctl || snap.sections.kernelCmdline ? (
          <button type="button" role="tab" aria-selected={tab === "sysctl"} onClick={() => setTab("sysctl")} data-testid="tab-sysctl">
            Kernel ({Object.keys(snap.sections.sysctl ?? {}).length} sysctl)
          </button>
        ) : null}
      </div>
      {tab === "packages" ? (
        <div role="tabpanel" aria-label="Packages">
          <div className="toolbar" style={{ padding: "8px 0" }}>
            <Field label="Search packages" className="field-inline">
              {(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="name or version" />}
            </Field>
            <span className="muted small">{packagesNote(packages)}</span>
          </div>
          <DataTable caption="Installed packages" testId="packages-table" wrapClassName="scroll" columns={PACKAGE_COLUMNS} rows={packages.rows} rowKey={packageKey} row={PackageRow} empty={q ? `No package matches “${q}”.` : "No packages reported."} />
        </div>
      ) : tab === "sysctl" ? (
        <KernelTab snap={snap} />
      ) : tab !== "env" ? (
        <SectionTab key={tab} section={tab} snap={snap} changed={changed} />
      ) : (
        <div role="tabpanel" aria-label="Environment">
          <DataTable caption="Environment variables" testId="env-table" wrapClassName="scroll" columns={ENV_COLUMNS} rows={env} rowKey={([k]) => k} row={EnvRow} empty="No environment variables reported." />
        </div>
      )}
    </>
  );
}

const PACKAGE_COLUMNS = ["Package", "Version", "Arch", "Manager"];
const ENV_COLUMNS = ["Variable", "Value"];

function PackageRow(p: Package) {
  return (
    <tr>
      <td className="mono">{p.name}</td>
      <td className="mono">{p.version}</td>
      <td className="muted">{p.arch ?? ""}</td>
      <td className="muted">{p.manager ?? ""}</td>
    </tr>
  );
}

/** A variable; a value the agent redacted says so rather than showing its hash. */
function EnvRow([k, v]: [string, string]) {
  return (
    <tr>
      <td className="mono">{k}</td>
      <td className="mono" style={{ wordBreak: "break-all" }}>
        {isRedactedValue(v) ? (
          <span className="redacted" title="The agent replaced this secret-looking value with a keyed hash; a change is still detected.">
            redacted
          </span>
        ) : (
          v
        )}
      </td>
    </tr>
  );
}

/** One inventory section: a searchable table, and what the newest snapshot changed in it. */
function SectionTab({ section, snap, changed }: { section: ListSection; snap: SnapshotDetail; changed: boolean }) {
  const [q, setQ] = useState("");
  const view = SECTION_VIEWS[section];
  const items = snap.sections[section];
  const table = useMemo(() => sectionTable(section, (items ?? []) as never[], q), [section, items, q]);
  const diff = useSnapshotDiffQuery(changed ? snap.id : null, "previous");
  const lines = sectionChanges(section, diff.data?.diff);
  return (
    <div role="tabpanel" aria-label={view.label} data-testid={`section-${section}`}>
      <div className="toolbar" style={{ padding: "8px 0" }}>
        <Field label={`Search ${view.label.toLowerCase()}`} className="field-inline">
          {(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
        </Field>
        <span className="muted small">{packagesNote(table)}</span>
      </div>
      {section === "services" && snap.sections.servicesUnavailable ? <p className="muted small">Services not collected: {snap.sections.servicesUnavailable}</p> : null}
      <DataTable
        caption={view.label}
        testId={`${section}-table`}
        wrapClassName="scroll"
        columns={view.columns}
        rows={table.rows}
        rowKey={(r) => r.key}
        row={(r) => (
          <tr>
            {r.cells.map((c, i) => (
              <td key={i} className={i === 0 ? "mono" : undefined}>
                {c}
              </td>
            ))}
          </tr>
        )}
        empty={q ? `Nothing matches “${q}”.` : `No ${view.label.toLowerCase()} reported.`}
      />
      <h3 style={{ marginTop: 10 }}>Changed in the latest snapshot</h3>
      {!changed ? (
        <p className="muted small">This is the host’s first snapshot: nothing to compare with.</p>
      ) : diff.isPending ? (
        <p className="muted small">Loading the diff…</p>
      ) : lines.length === 0 ? (
        <p className="muted small" data-testid={`section-diff-${section}`}>
          No change in {view.label.toLowerCase()}.
        </p>
      ) : (
        <ul className="section-diff" data-testid={`section-diff-${section}`}>
          {lines.map((l, i) => (
            <li key={i} className={`diff-${l.kind}`}>
              {l.kind === "added" ? "+ " : l.kind === "removed" ? "− " : "~ "}
              {l.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function KernelTab({ snap }: { snap: SnapshotDetail }) {
  const rows = Object.entries(snap.sections.sysctl ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return (
    <div role="tabpanel" aria-label="Kernel" data-testid="section-sysctl">
      <p className="small">
        Command line: <span className="mono">{snap.sections.kernelCmdline ?? "not reported"}</span>
      </p>
      <DataTable caption="sysctl values" testId="sysctl-table" wrapClassName="scroll" columns={["Key", "Value"]} rows={rows} rowKey={([k]) => k} row={EnvRow} empty="No sysctl values reported." />
    </div>
  );
}

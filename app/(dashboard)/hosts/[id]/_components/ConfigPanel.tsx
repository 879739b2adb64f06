"use client";
import { useMemo, useState } from "react";
import { isRedactedValue } from "@/lib/protocol/constants";
import { useSnapshotQuery } from "@/lib/client/snapshots";
import type { Package, SnapshotDetail, SnapshotSummary } from "@/lib/client/types";
import { QueryBody, QueryPanel } from "@/app/_components/QueryPanel";
import { DataTable } from "@/app/_components/DataTable";
import type { QueryLike } from "@/app/_components/query-view";
import { dateTime } from "@/app/_components/format";
import { Field } from "@/app/_components/Field";
import { packageKey, packagesNote, searchPackages, sortedEnv } from "./config-view";

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
      {(list) => <LatestSnapshot id={list[0]!.id} />}
    </QueryPanel>
  );
}

function LatestSnapshot({ id }: { id: string }) {
  const snap = useSnapshotQuery(id);
  return (
    <QueryBody query={snap} what="the snapshot" isEmpty={() => false} empty={null}>
      {(data) => <SnapshotView snap={data} />}
    </QueryBody>
  );
}

function SnapshotView({ snap }: { snap: SnapshotDetail }) {
  const [tab, setTab] = useState<"packages" | "env">("packages");
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

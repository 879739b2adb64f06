"use client";
import { useMemo, useState } from "react";
import { isRedactedValue } from "@/lib/protocol/constants";
import { errorText } from "@/lib/client/api";
import { useSnapshotQuery } from "@/lib/client/snapshots";
import type { SnapshotSummary } from "@/lib/client/types";
import { Empty, ErrorState, Loading, Panel } from "@/app/_components/Panel";
import { dateTime } from "@/app/_components/format";
import { Field } from "@/app/_components/Field";

const SHOWN = 500;

/** The latest configuration: packages (searchable), environment (redacted values shown as such), kernel. */
export function ConfigPanel({ snapshots, snapshotsError, snapshotsLoading }: { snapshots: SnapshotSummary[] | undefined; snapshotsError: unknown; snapshotsLoading: boolean }) {
  const latestId = snapshots?.[0]?.id ?? null;
  const snap = useSnapshotQuery(latestId);
  const [tab, setTab] = useState<"packages" | "env">("packages");
  const [q, setQ] = useState("");

  const packages = useMemo(() => {
    const all = snap.data?.packages ?? [];
    const needle = q.trim().toLowerCase();
    const hits = needle ? all.filter((p) => p.name.toLowerCase().includes(needle) || p.version.toLowerCase().includes(needle)) : all;
    return { total: all.length, hits: hits.length, rows: [...hits].sort((a, b) => a.name.localeCompare(b.name)).slice(0, SHOWN) };
  }, [snap.data, q]);
  const env = useMemo(() => Object.entries(snap.data?.env ?? {}).sort(([a], [b]) => a.localeCompare(b)), [snap.data]);

  let body;
  if (snapshotsLoading || (latestId && snap.isPending)) body = <Loading what="Loading configuration…" />;
  else if (snapshotsError) body = <ErrorState>Could not load snapshots: {errorText(snapshotsError)}</ErrorState>;
  else if (!latestId) body = <Empty>No configuration snapshot yet. The agent sends one shortly after it enrolls, then whenever the configuration changes.</Empty>;
  else if (snap.isError) body = <ErrorState onRetry={() => void snap.refetch()}>Could not load the snapshot: {errorText(snap.error)}</ErrorState>;
  else if (snap.data)
    body = (
      <>
        <dl className="facts" style={{ marginBottom: 8 }}>
          <div>
            <dt>Kernel</dt>
            <dd className="mono" data-testid="config-kernel">
              {snap.data.kernel ?? "—"}
            </dd>
          </div>
          <div>
            <dt>OS</dt>
            <dd>{snap.data.os ?? "—"}</dd>
          </div>
          <div>
            <dt>Taken</dt>
            <dd>{dateTime(snap.data.ts)} UTC</dd>
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
                {(p) => (
                  <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="name or version" />
                )}
              </Field>
              <span className="muted small">
                {packages.hits > SHOWN ? `showing ${SHOWN} of ${packages.hits} matches — refine the search` : `${packages.hits} of ${packages.total}`}
              </span>
            </div>
            <div className="scroll">
              <table className="table" data-testid="packages-table">
                <thead>
                  <tr>
                    <th scope="col">Package</th>
                    <th scope="col">Version</th>
                    <th scope="col">Arch</th>
                    <th scope="col">Manager</th>
                  </tr>
                </thead>
                <tbody>
                  {packages.rows.map((p) => (
                    <tr key={`${p.name}/${p.arch ?? ""}/${p.manager ?? ""}`}>
                      <td className="mono">{p.name}</td>
                      <td className="mono">{p.version}</td>
                      <td className="muted">{p.arch ?? ""}</td>
                      <td className="muted">{p.manager ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {packages.rows.length === 0 ? <Empty>{q ? `No package matches “${q}”.` : "No packages reported."}</Empty> : null}
            </div>
          </div>
        ) : (
          <div role="tabpanel" aria-label="Environment" className="scroll">
            <table className="table" data-testid="env-table">
              <thead>
                <tr>
                  <th scope="col">Variable</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {env.map(([k, v]) => (
                  <tr key={k}>
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
                ))}
              </tbody>
            </table>
            {env.length === 0 ? <Empty>No environment variables reported.</Empty> : null}
          </div>
        )}
      </>
    );
  return (
    <Panel title="Configuration" id="config">
      {body}
    </Panel>
  );
}

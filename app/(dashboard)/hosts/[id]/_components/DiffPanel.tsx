"use client";
import { forwardRef } from "react";
import { errorText } from "@/lib/client/api";
import { useSnapshotDiffQuery } from "@/lib/client/snapshots";
import type { SnapshotDiff, SnapshotSummary } from "@/lib/client/types";
import { Empty, ErrorState, Loading } from "@/app/_components/Panel";
import { dateTime } from "@/app/_components/format";
import { Field } from "@/app/_components/Field";

const pkgName = (p: { name: string; arch?: string }) => (p.arch ? `${p.name}:${p.arch}` : p.name);

function DiffBody({ diff }: { diff: SnapshotDiff }) {
  const { packages: p, env: e } = diff;
  const nothing = !diff.kernel && !diff.os && !p.added.length && !p.removed.length && !p.changed.length && !e.added.length && !e.removed.length && !e.changed.length;
  if (nothing) return <Empty>No differences: the two configurations are identical.</Empty>;
  return (
    <>
      {diff.kernel ? (
        <p className="kernel-change" data-testid="kernel-change">
          Kernel: {diff.kernel.from ?? "none"} → {diff.kernel.to ?? "none"}
        </p>
      ) : null}
      {diff.os ? (
        <p className="kernel-change" data-testid="os-change">
          OS: {diff.os.from ?? "none"} → {diff.os.to ?? "none"}
        </p>
      ) : null}
      <h3>Packages</h3>
      <div className="diff-grid">
        <div className="diff-col diff-added" data-testid="diff-added">
          <h3>Added ({p.added.length})</h3>
          <ul>
            {p.added.length === 0 ? <li className="muted">none</li> : null}
            {p.added.map((x) => (
              <li key={pkgName(x) + (x.manager ?? "")}>
                + {pkgName(x)} {x.version}
              </li>
            ))}
          </ul>
        </div>
        <div className="diff-col diff-removed" data-testid="diff-removed">
          <h3>Removed ({p.removed.length})</h3>
          <ul>
            {p.removed.length === 0 ? <li className="muted">none</li> : null}
            {p.removed.map((x) => (
              <li key={pkgName(x) + (x.manager ?? "")}>
                − {pkgName(x)} {x.version}
              </li>
            ))}
          </ul>
        </div>
        <div className="diff-col diff-changed" data-testid="diff-changed">
          <h3>Changed ({p.changed.length})</h3>
          <ul>
            {p.changed.length === 0 ? <li className="muted">none</li> : null}
            {p.changed.map((x) => (
              <li key={pkgName(x) + (x.manager ?? "")}>
                ~ {pkgName(x)} {x.from} → {x.to}
              </li>
            ))}
          </ul>
        </div>
      </div>
      {e.added.length || e.removed.length || e.changed.length ? (
        <>
          <h3 style={{ marginTop: 10 }}>Environment</h3>
          <div className="diff-grid" data-testid="diff-env">
            {(["added", "removed", "changed"] as const).map((k) => (
              <div key={k} className={`diff-col diff-${k}`}>
                <h3>
                  {k[0]!.toUpperCase() + k.slice(1)} ({e[k].length})
                </h3>
                <ul>
                  {e[k].length === 0 ? <li className="muted">none</li> : null}
                  {e[k].map((key) => (
                    <li key={key}>{key}</li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </>
      ) : null}
    </>
  );
}

/** The diff of one snapshot against the previous one or any other chosen snapshot. */
export const DiffPanel = forwardRef<HTMLElement, {
  snapshots: SnapshotSummary[] | undefined;
  snapshotsError: unknown;
  selected: string | null;
  against: string;
  onSelect: (id: string) => void;
  onAgainst: (against: string) => void;
}>(function DiffPanel({ snapshots, snapshotsError, selected, against, onSelect, onAgainst }, ref) {
  const diff = useSnapshotDiffQuery(selected, against);
  const list = snapshots ?? [];
  const label = (s: SnapshotSummary) => `${dateTime(s.ts)} UTC — ${s.summary}`;
  const selectedSnap = list.find((s) => s.id === selected);
  const isFirst = selectedSnap ? !selectedSnap.changed : false;

  let body;
  if (snapshotsError && !snapshots) body = <ErrorState>Could not load snapshots: {errorText(snapshotsError)}</ErrorState>;
  else if (!snapshots) body = <Loading what="Loading snapshots…" />;
  else if (list.length < 2) body = <Empty>A diff needs two snapshots; this host has {list.length === 0 ? "none yet" : "only its first"}.</Empty>;
  else if (!selected) body = <Empty>Choose a snapshot.</Empty>;
  else if (against === "previous" && isFirst) body = <Empty>This is the host’s first snapshot: there is nothing before it. Choose another one to compare with.</Empty>;
  else if (diff.isPending) body = <Loading what="Computing the diff…" />;
  else if (diff.isError) body = <ErrorState onRetry={() => void diff.refetch()}>Could not load the diff: {errorText(diff.error)}</ErrorState>;
  else
    body = (
      <>
        <p className="muted small" style={{ margin: "0 0 8px" }} data-testid="diff-range">
          {diff.data.from ? `From ${dateTime(diff.data.from.ts)} UTC` : "From nothing"} to {dateTime(diff.data.to.ts)} UTC
        </p>
        <DiffBody diff={diff.data.diff} />
      </>
    );

  return (
    <section ref={ref} className="panel" id="diff" aria-labelledby="diff-title" data-testid="diff-panel" data-snapshot-id={selected ?? ""} tabIndex={-1}>
      <header className="panel-head">
        <h2 id="diff-title">Configuration diff</h2>
        {list.length >= 2 ? (
          <div className="panel-actions">
            <Field label="Snapshot" className="field-inline">
              {(p) => (
                <select {...p} value={selected ?? ""} onChange={(e) => onSelect(e.target.value)} data-testid="diff-snapshot">
                  {list.map((s) => (
                    <option key={s.id} value={s.id}>
                      {label(s)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Compared with" className="field-inline">
              {(p) => (
                <select {...p} value={against} onChange={(e) => onAgainst(e.target.value)} data-testid="diff-against">
                  <option value="previous">the previous snapshot</option>
                  {list
                    .filter((s) => s.id !== selected)
                    .map((s) => (
                      <option key={s.id} value={s.id}>
                        {label(s)}
                      </option>
                    ))}
                </select>
              )}
            </Field>
          </div>
        ) : null}
      </header>
      <div className="panel-body">{body}</div>
    </section>
  );
});


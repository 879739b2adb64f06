"use client";
import { forwardRef, type ReactNode } from "react";
import { useSnapshotDiffQuery } from "@/lib/client/snapshots";
import type { SnapshotDiff, SnapshotSummary } from "@/lib/client/types";
import { Empty } from "@/app/_components/Panel";
import { QueryBody } from "@/app/_components/QueryPanel";
import type { QueryLike } from "@/app/_components/query-view";
import { dateTime } from "@/app/_components/format";
import { SelectField } from "@/app/_components/Field";
import { diffUnavailable, isEmptyDiff, pkgName } from "./diff-view";
import { SECTION_ORDER, SECTION_VIEWS, sectionChanges } from "./sections-view";

const KINDS = ["added", "removed", "changed"] as const;
const TITLE = { added: "Added", removed: "Removed", changed: "Changed" } as const;

function DiffColumn<T>({ kind, items, itemKey, children, testId }: { kind: (typeof KINDS)[number]; items: readonly T[]; itemKey: (x: T) => string; children: (x: T) => ReactNode; testId?: string }) {
  return (
    <div className={`diff-col diff-${kind}`} data-testid={testId}>
      <h3>
        {TITLE[kind]} ({items.length})
      </h3>
      <ul>
        {items.length === 0 ? <li className="muted">none</li> : null}
        {items.map((x) => (
          <li key={itemKey(x)}>{children(x)}</li>
        ))}
      </ul>
    </div>
  );
}

const pkgKey = (x: { name: string; arch?: string; manager?: string }) => pkgName(x) + (x.manager ?? "");

function DiffBody({ diff }: { diff: SnapshotDiff }) {
  const { packages: p, env: e } = diff;
  if (isEmptyDiff(diff)) return <Empty>No differences: the two configurations are identical.</Empty>;
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
        <DiffColumn kind="added" testId="diff-added" items={p.added} itemKey={pkgKey}>
          {(x) => `+ ${pkgName(x)} ${x.version}`}
        </DiffColumn>
        <DiffColumn kind="removed" testId="diff-removed" items={p.removed} itemKey={pkgKey}>
          {(x) => `− ${pkgName(x)} ${x.version}`}
        </DiffColumn>
        <DiffColumn kind="changed" testId="diff-changed" items={p.changed} itemKey={pkgKey}>
          {(x) => `~ ${pkgName(x)} ${x.from} → ${x.to}`}
        </DiffColumn>
      </div>
      {e.added.length || e.removed.length || e.changed.length ? (
        <>
          <h3 style={{ marginTop: 10 }}>Environment</h3>
          <div className="diff-grid" data-testid="diff-env">
            {KINDS.map((k) => (
              <DiffColumn key={k} kind={k} items={e[k]} itemKey={(key) => key}>
                {(key) => key}
              </DiffColumn>
            ))}
          </div>
        </>
      ) : null}
      {diff.kernelCmdline ? (
        <p className="kernel-change" data-testid="cmdline-change">
          Kernel command line: {diff.kernelCmdline.from ?? "none"} → {diff.kernelCmdline.to ?? "none"}
        </p>
      ) : null}
      {SECTION_ORDER.filter((s) => diff[s]).map((s) => {
        const lines = sectionChanges(s, diff);
        return (
          <div key={s} data-testid={`diff-section-${s}`}>
            <h3 style={{ marginTop: 10 }}>{SECTION_VIEWS[s].label}</h3>
            <div className="diff-grid">
              {KINDS.map((k) => (
                <DiffColumn key={k} kind={k} items={lines.filter((l) => l.kind === k)} itemKey={(l) => l.text}>
                  {(l) => `${k === "added" ? "+" : k === "removed" ? "−" : "~"} ${l.text}`}
                </DiffColumn>
              ))}
            </div>
          </div>
        );
      })}
      {diff.sysctl ? (
        <div data-testid="diff-section-sysctl">
          <h3 style={{ marginTop: 10 }}>sysctl</h3>
          <div className="diff-grid">
            <DiffColumn kind="added" items={diff.sysctl.added} itemKey={(x) => x.key}>
              {(x) => `+ ${x.key} = ${x.value}`}
            </DiffColumn>
            <DiffColumn kind="removed" items={diff.sysctl.removed} itemKey={(x) => x.key}>
              {(x) => `− ${x.key} = ${x.value}`}
            </DiffColumn>
            <DiffColumn kind="changed" items={diff.sysctl.changed} itemKey={(x) => x.key}>
              {(x) => `~ ${x.key} ${x.from} → ${x.to}`}
            </DiffColumn>
          </div>
        </div>
      ) : null}
    </>
  );
}

function SnapshotDiffView({ selected, against }: { selected: string; against: string }) {
  const diff = useSnapshotDiffQuery(selected, against);
  return (
    <QueryBody query={diff} what="the diff" isEmpty={() => false} empty={null}>
      {(d) => (
        <>
          <p className="muted small" style={{ margin: "0 0 8px" }} data-testid="diff-range">
            {d.from ? `From ${dateTime(d.from.ts)} UTC` : "From nothing"} to {dateTime(d.to.ts)} UTC
          </p>
          <DiffBody diff={d.diff} />
        </>
      )}
    </QueryBody>
  );
}

/** The diff of one snapshot against the previous one or any other chosen snapshot. */
export const DiffPanel = forwardRef<
  HTMLElement,
  {
    snapshots: QueryLike<SnapshotSummary[]> & { refetch: () => unknown };
    selected: string | null;
    against: string;
    onSelect: (id: string) => void;
    onAgainst: (against: string) => void;
  }
>(function DiffPanel({ snapshots, selected, against, onSelect, onAgainst }, ref) {
  const list = snapshots.data ?? [];
  const label = (s: SnapshotSummary) => `${dateTime(s.ts)} UTC — ${s.summary}`;
  const snapshotOptions = list.map((s) => [s.id, label(s)] as const);
  const againstOptions = [["previous", "the previous snapshot"] as const, ...snapshotOptions.filter(([id]) => id !== selected)];

  return (
    <section ref={ref} className="panel" id="diff" aria-labelledby="diff-title" data-testid="diff-panel" data-snapshot-id={selected ?? ""} tabIndex={-1}>
      <header className="panel-head">
        <h2 id="diff-title">Configuration diff</h2>
        {list.length >= 2 ? (
          <div className="panel-actions">
            <SelectField label="Snapshot" testId="diff-snapshot" value={selected ?? ""} options={snapshotOptions} onChange={onSelect} />
            <SelectField label="Compared with" testId="diff-against" value={against} options={againstOptions} onChange={onAgainst} />
          </div>
        ) : null}
      </header>
      <div className="panel-body">
        <QueryBody query={snapshots} what="snapshots" isEmpty={(l) => diffUnavailable(l, selected, against) !== null} empty={diffUnavailable(list, selected, against)}>
          {() => <SnapshotDiffView selected={selected!} against={against} />}
        </QueryBody>
      </div>
    </section>
  );
});

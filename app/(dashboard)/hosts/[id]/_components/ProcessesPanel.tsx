"use client";
import { useProcessesQuery } from "@/lib/client/processes";
import type { ProcessView, SnapshotSummary } from "@/lib/client/types";
import { QueryBody } from "@/app/_components/QueryPanel";
import { DataTable } from "@/app/_components/DataTable";
import { Empty } from "@/app/_components/Panel";
import { bytes, dateTime } from "@/app/_components/format";
import { changesBefore } from "./moment";

const COLUMNS = ["Process", "PID", "User", "CPU %", "Memory", "State", "Command"];

function ProcessRow(p: ProcessView) {
  return (
    <tr>
      <td className="mono">{p.name}</td>
      <td className="mono">{p.pid}</td>
      <td>{p.user ?? ""}</td>
      <td className="num">{p.cpuPct.toFixed(1)}</td>
      <td className="num nowrap">{bytes(p.rssBytes)}</td>
      <td className="mono">{p.state ?? ""}</td>
      <td className="mono small" style={{ wordBreak: "break-all" }}>
        {p.cmdline ?? ""}
      </td>
    </tr>
  );
}

/**
 * What ran on the host: now (the newest sample, live) or at a moment picked on a chart, beside
 * the configuration changes that came before that moment.
 */
export function ProcessesPanel({
  hostId,
  atMs,
  snapshots,
  onOpenDiff,
  onNow,
}: {
  hostId: string;
  atMs: number | null;
  snapshots: readonly SnapshotSummary[] | undefined;
  onOpenDiff: (snapshotId: string) => void;
  onNow: () => void;
}) {
  const processes = useProcessesQuery(hostId, atMs);
  const before = atMs === null ? [] : changesBefore(snapshots ?? [], atMs);
  const byCpu = (list: ProcessView[]) => [...list].sort((a, b) => b.cpuPct - a.cpuPct || b.rssBytes - a.rssBytes);
  return (
    <section className="panel" id="processes" aria-labelledby="processes-title" data-testid="processes-panel" data-at={atMs ?? ""}>
      <header className="panel-head">
        <h2 id="processes-title">{atMs === null ? "Top processes now" : `Top processes at ${dateTime(atMs)} UTC`}</h2>
        <div className="panel-actions">
          {atMs === null ? (
            <span className="muted small">Click a chart to see another moment.</span>
          ) : (
            <button type="button" className="btn btn-small" onClick={onNow} data-testid="processes-now">
              Back to now
            </button>
          )}
        </div>
      </header>
      <div className={atMs === null ? "panel-body" : "panel-body moment-grid"}>
        <div>
          <QueryBody query={processes} what="processes" isEmpty={(d) => d.processes.length === 0} empty={<Empty>The agent has not sent processes{atMs === null ? " yet" : " near this moment"}.</Empty>}>
            {(d) => (
              <>
                <p className="muted small" style={{ margin: "0 0 6px" }} data-testid="processes-ts">
                  sample of {dateTime(d.ts!)} UTC
                </p>
                <DataTable caption={atMs === null ? "Top processes now" : "Top processes at the chosen moment"} testId="processes-table" wrapClassName="scroll" columns={COLUMNS} rows={byCpu(d.processes)} rowKey={(p) => `${p.pid}-${p.name}`} row={ProcessRow} empty="No processes." />
              </>
            )}
          </QueryBody>
        </div>
        {atMs === null ? null : (
          <div data-testid="changes-before">
            <h3 style={{ marginTop: 0 }}>Configuration changes before</h3>
            {before.length === 0 ? (
              <p className="muted">No configuration change recorded before this moment.</p>
            ) : (
              <ol className="timeline">
                {before.map((s) => (
                  <li key={s.id}>
                    <time className="muted small mono" dateTime={s.ts}>
                      {dateTime(s.ts)}
                    </time>
                    <button type="button" className="linkish" onClick={() => onOpenDiff(s.id)}>
                      {s.summary}
                    </button>
                  </li>
                ))}
              </ol>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

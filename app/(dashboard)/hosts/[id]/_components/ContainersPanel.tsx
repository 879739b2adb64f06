"use client";
import { useContainersQuery } from "@/lib/client/containers";
import type { ContainerView } from "@/lib/client/types";
import { DataTable } from "@/app/_components/DataTable";
import { QueryPanel } from "@/app/_components/QueryPanel";
import { bytes, dateTime } from "@/app/_components/format";
import { containerSummary, healthTone, sortContainers, stateTone } from "./container-view";

const COLUMNS = [
  "Name",
  "Image",
  "State",
  "Health",
  { key: "cpu", label: "CPU", className: "num" },
  { key: "mem", label: "Memory", className: "num" },
  { key: "net", label: "Net in / out (since start)", className: "num" },
  { key: "restarts", label: "Restarts", className: "num" },
];

const dash = <span className="muted" aria-label="not measured">—</span>;

function ContainerRow({ c }: { c: ContainerView }) {
  return (
    <tr data-testid="container-row" data-name={c.name}>
      <td className="mono">{c.name}</td>
      <td className="mono small">{c.image || dash}</td>
      <td>
        <span className={`badge ${stateTone(c.state)}`}>{c.state}</span>
      </td>
      <td>{c.health ? <span className={`badge ${healthTone(c.health)}`}>{c.health}</span> : <span className="muted">none</span>}</td>
      <td className="num">{c.cpuPct === undefined ? dash : `${c.cpuPct.toFixed(1)}%`}</td>
      <td className="num">{c.memBytes === undefined ? dash : bytes(c.memBytes)}</td>
      <td className="num nowrap">{c.netRxBytes === undefined || c.netTxBytes === undefined ? dash : `${bytes(c.netRxBytes)} / ${bytes(c.netTxBytes)}`}</td>
      <td className="num">{c.restartCount}</td>
    </tr>
  );
}

/** The host's containers as of its newest sample that carried them (the agent found an Engine API socket). */
export function ContainersPanel({ hostId }: { hostId: string }) {
  const query = useContainersQuery(hostId);
  const data = query.data;
  return (
    <QueryPanel
      title="Containers"
      id="containers"
      actions={data?.ts ? <span className="muted small">{containerSummary(data.containers)} · as of {dateTime(data.ts)} UTC</span> : null}
      query={query}
      what="containers"
      isEmpty={(d) => d.containers.length === 0}
      empty="No container stats from this host: its agent found no Docker or podman Engine API socket (or the engine runs no containers)."
    >
      {(d) => <DataTable caption="Containers on this host" testId="containers-table" columns={COLUMNS} rows={sortContainers(d.containers)} row={(c) => <ContainerRow c={c} />} />}
    </QueryPanel>
  );
}

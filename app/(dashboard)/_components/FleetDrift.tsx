"use client";
import Link from "next/link";
import { useState } from "react";
import { useFleetDriftQuery, type FleetDriftHost } from "@/lib/client/drift";
import { QueryPanel } from "@/app/_components/QueryPanel";
import { relativeTime } from "@/app/_components/format";

const SHOWN = 6;

/** Which hosts' configuration changed in the last day, each change a link to its diff. */
export function FleetDrift({ initial, nowMs }: { initial: FleetDriftHost[]; nowMs: number }) {
  const drift = useFleetDriftQuery({ since: "-24h", perHost: 3 }, initial);
  const [all, setAll] = useState(false);
  const hosts = drift.data ?? [];
  const shown = all ? hosts : hosts.slice(0, SHOWN);
  return (
    <QueryPanel
      id="fleet-drift"
      flush={false}
      title={`Configuration changes, last 24 h${hosts.length ? ` · ${hosts.length} host${hosts.length === 1 ? "" : "s"}` : ""}`}
      actions={
        hosts.length > SHOWN ? (
          <button type="button" className="btn btn-small" onClick={() => setAll(!all)}>
            {all ? "Show fewer" : `Show all ${hosts.length}`}
          </button>
        ) : null
      }
      query={drift}
      what="configuration changes"
      empty="No host’s configuration changed in the last 24 hours."
    >
      {() => (
        <ul className="drift-list" data-testid="fleet-drift">
          {shown.map((h) => (
            <li key={h.hostId} data-host={h.hostname}>
              <Link href={`/hosts/${h.hostId}`} className="host-link">
                {h.hostname}
              </Link>
              <span className="muted small">
                {h.changes} change{h.changes === 1 ? "" : "s"} · latest {relativeTime(h.lastChangedAt, nowMs)}
              </span>
              {h.recent[0] ? (
                <Link href={`/hosts/${h.hostId}?snapshot=${h.recent[0].snapshotId}`} className="small drift-summary" data-snapshot-id={h.recent[0].snapshotId}>
                  {h.recent[0].summary}
                </Link>
              ) : null}
              {h.recent[0]?.sections.length ? (
                <span className="drift-sections" data-testid="drift-sections">
                  {h.recent[0].sections.map((s) => (
                    <span key={s} className="badge">
                      {s}
                    </span>
                  ))}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </QueryPanel>
  );
}

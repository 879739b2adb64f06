"use client";
import { EventLog } from "./EventLog";
import { RulesPanel } from "./RulesPanel";

export type HostRef = { id: string; hostname: string };

export function AlertsView({ hosts, canWrite, initialHostId, initialNowMs }: { hosts: HostRef[]; canWrite: boolean; initialHostId: string; initialNowMs: number }) {
  return (
    <>
      <div className="page-head">
        <h1>Alerts</h1>
        {!canWrite ? <span className="muted">Read-only: your role can view alerts and rules but not change them.</span> : null}
      </div>
      <EventLog hosts={hosts} canWrite={canWrite} initialHostId={initialHostId} initialNowMs={initialNowMs} />
      <RulesPanel hosts={hosts} canWrite={canWrite} />
    </>
  );
}

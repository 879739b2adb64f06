"use client";
import type { AlertEventView, AlertRuleView, HostRef, MaintenanceView, SilenceView } from "@/lib/client/types";
import { EventLog } from "./EventLog";
import { MaintenancePanel } from "./MaintenancePanel";
import { RoutesPanel } from "./RoutesPanel";
import { RulesPanel } from "./RulesPanel";
import { SilencesPanel } from "./SilencesPanel";

export function AlertsView(props: {
  hosts: HostRef[];
  canWrite: boolean;
  initialHostId: string;
  initialNowMs: number;
  initialRules: AlertRuleView[];
  initialEvents: AlertEventView[];
  initialSilences: SilenceView[];
  initialMaintenance: MaintenanceView[];
}) {
  const { hosts, canWrite, initialNowMs } = props;
  return (
    <>
      <div className="page-head">
        <h1>Alerts</h1>
        {!canWrite ? <span className="muted">Read-only: your role can view alerts and rules but not change them.</span> : null}
      </div>
      <EventLog hosts={hosts} canWrite={canWrite} initialHostId={props.initialHostId} initialNowMs={initialNowMs} initialEvents={props.initialEvents} initialRules={props.initialRules} />
      <RulesPanel hosts={hosts} canWrite={canWrite} initialRules={props.initialRules} />
      <SilencesPanel canWrite={canWrite} initialSilences={props.initialSilences} initialNowMs={initialNowMs} />
      <MaintenancePanel hosts={hosts} canWrite={canWrite} initialWindows={props.initialMaintenance} />
      <RoutesPanel canWrite={canWrite} />
    </>
  );
}

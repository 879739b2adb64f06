"use client";
import type { AlertEventView, AlertRuleView, HostRef, SilenceView } from "@/lib/client/types";
import { EventLog } from "./EventLog";
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
    </>
  );
}

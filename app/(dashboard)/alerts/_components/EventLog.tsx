"use client";
import { useMemo, useState } from "react";
import { qs } from "@/lib/client/api";
import { useAckEventMutation, useAlertEventsQuery, useAlertRulesQuery } from "@/lib/client/alerts";
import type { AlertEventView, AlertRuleView } from "@/lib/client/types";
import { MutationError, QueryPanel } from "@/app/_components/QueryPanel";
import { DataTable } from "@/app/_components/DataTable";
import { useNow } from "@/app/_components/useNow";
import type { HostRef } from "@/lib/client/types";
import { eventSeverity, sortEvents } from "./event-order";
import { EventFilters, type EventFilter } from "./EventFilters";
import { eventColumns, EventRow } from "./EventRow";

export function EventLog({
  hosts,
  canWrite,
  initialHostId,
  initialNowMs,
  initialEvents,
  initialRules,
}: {
  hosts: HostRef[];
  canWrite: boolean;
  initialHostId: string;
  initialNowMs: number;
  initialEvents: AlertEventView[];
  initialRules: AlertRuleView[];
}) {
  const [filter, setFilter] = useState<EventFilter>({ state: "", hostId: initialHostId, severity: "" });
  const [silencing, setSilencing] = useState<string | null>(null);
  const isInitialFilter = filter.state === "" && filter.hostId === initialHostId;
  const events = useAlertEventsQuery({ state: filter.state || undefined, hostId: filter.hostId || undefined }, isInitialFilter ? initialEvents : undefined);
  const rules = useAlertRulesQuery(initialRules);
  const ack = useAckEventMutation();
  const now = useNow(initialNowMs);

  const hostName = useMemo(() => new Map(hosts.map((h) => [h.id, h.hostname])), [hosts]);
  const ruleById = useMemo(() => new Map((rules.data ?? []).map((r) => [r.id, r])), [rules.data]);
  const rows = useMemo(() => {
    const severityOf = (e: AlertEventView) => eventSeverity(e, ruleById);
    return sortEvents(
      (events.data ?? []).filter((e) => !filter.severity || severityOf(e) === filter.severity),
      severityOf,
    );
  }, [events.data, filter.severity, ruleById]);
  const firing = (events.data ?? []).filter((e) => e.state === "firing").length;
  const filtered = filter.state || filter.hostId || filter.severity;

  return (
    <QueryPanel
      id="events"
      title={<>Events {firing ? <span className="badge state-firing">{firing} firing</span> : null}</>}
      actions={
        <>
          <EventFilters hosts={hosts} filter={filter} onChange={setFilter} />
          {/* The state and host filters apply server-side; severity is filtered in the browser only. */}
          <a className="btn btn-small" href={`/api/alerts/events/export${qs({ state: filter.state, hostId: filter.hostId })}`} download data-testid="export-events">
            Export CSV
          </a>
        </>
      }
      before={<MutationError mutation={ack} doing="acknowledge" />}
      query={events}
      what="alert events"
      isEmpty={() => rows.length === 0}
      empty={filtered ? "No event matches these filters." : "No alert has fired yet. Events appear here when a rule’s condition holds."}
    >
      {() => (
        <DataTable
          caption="Alert events"
          testId="events-table"
          columns={eventColumns(canWrite)}
          rows={rows}
          row={(e) => {
            const ruleName = e.ruleName ?? ruleById.get(e.ruleId)?.name ?? "deleted rule";
            return (
              <EventRow
                event={e}
                ruleName={ruleName}
                host={e.hostname ?? hostName.get(e.hostId) ?? e.hostId.slice(0, 8)}
                severity={eventSeverity(e, ruleById)}
                now={now}
                canWrite={canWrite}
                silencing={silencing === e.id}
                acking={ack.isPending && ack.variables === e.id}
                onAck={() => ack.mutate(e.id)}
                onSilence={(open) => setSilencing(open ? e.id : null)}
              />
            );
          }}
        />
      )}
    </QueryPanel>
  );
}

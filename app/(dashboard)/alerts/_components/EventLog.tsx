"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import { errorText } from "@/lib/client/api";
import { useAckEventMutation, useAlertEventsQuery, useAlertRulesQuery } from "@/lib/client/alerts";
import type { AlertEvent, Severity } from "@/lib/client/types";
import { Empty, ErrorState, Loading, Panel } from "@/app/_components/Panel";
import { SeverityBadge } from "@/app/_components/StatusBadge";
import { dateTime, duration, relativeTime } from "@/app/_components/format";
import { useNow } from "@/app/_components/useNow";
import type { HostRef } from "./AlertsView";

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function EventLog({ hosts, canWrite, initialHostId, initialNowMs }: { hosts: HostRef[]; canWrite: boolean; initialHostId: string; initialNowMs: number }) {
  const [state, setState] = useState("");
  const [hostId, setHostId] = useState(initialHostId);
  const [severity, setSeverity] = useState("");
  const events = useAlertEventsQuery({ state: state || undefined, hostId: hostId || undefined });
  const rules = useAlertRulesQuery();
  const ack = useAckEventMutation();
  const now = useNow(initialNowMs);

  const hostName = useMemo(() => new Map(hosts.map((h) => [h.id, h.hostname])), [hosts]);
  const ruleById = useMemo(() => new Map((rules.data ?? []).map((r) => [r.id, r])), [rules.data]);
  const rows = useMemo(() => {
    const list = (events.data ?? []).filter((e) => !severity || ruleById.get(e.ruleId)?.severity === severity);
    const sev = (e: AlertEvent) => SEVERITY_RANK[ruleById.get(e.ruleId)?.severity ?? "info"];
    return [...list].sort((a, b) => (a.state === b.state ? 0 : a.state === "firing" ? -1 : 1) || sev(a) - sev(b) || Date.parse(b.startedAt) - Date.parse(a.startedAt));
  }, [events.data, severity, ruleById]);
  const firing = (events.data ?? []).filter((e) => e.state === "firing").length;

  let body;
  if (events.isPending) body = <Loading what="Loading events…" />;
  else if (events.isError && !events.data) body = <ErrorState onRetry={() => void events.refetch()}>Could not load alert events: {errorText(events.error)}</ErrorState>;
  else if (rows.length === 0)
    body = <Empty>{state || hostId || severity ? "No event matches these filters." : "No alert has fired yet. Events appear here when a rule’s condition holds."}</Empty>;
  else
    body = (
      <div className="table-wrap">
        <table className="table" data-testid="events-table">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Severity</th>
              <th scope="col">Rule</th>
              <th scope="col">Host</th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Acknowledged</th>
              {canWrite ? (
                <th scope="col" className="actions">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => {
              const rule = ruleById.get(e.ruleId);
              const end = e.resolvedAt ? Date.parse(e.resolvedAt) : now;
              return (
                <tr key={e.id} data-testid="event-row" data-state={e.state} data-rule={rule?.name ?? e.ruleId}>
                  <td>
                    <span className={`badge state-${e.state}`}>{e.state}</span>
                  </td>
                  <td>{rule ? <SeverityBadge severity={rule.severity} /> : "—"}</td>
                  <td>{rule?.name ?? <span className="muted">deleted rule</span>}</td>
                  <td>
                    <Link href={`/hosts/${e.hostId}`}>{hostName.get(e.hostId) ?? e.hostId.slice(0, 8)}</Link>
                  </td>
                  <td className="num">{e.value === null ? "—" : Math.round(e.value * 100) / 100}</td>
                  <td className="nowrap" title={`${dateTime(e.startedAt)} UTC`}>
                    {relativeTime(e.startedAt, now)}
                  </td>
                  <td className="nowrap">{duration(Math.max(0, (end - Date.parse(e.startedAt)) / 1000))}</td>
                  <td className="nowrap" data-testid="ack-cell">
                    {e.ackedBy ? <span className="muted">acknowledged{e.ackedAt ? ` ${relativeTime(e.ackedAt, now)}` : ""}</span> : e.state === "firing" ? <span className="muted">no</span> : "—"}
                  </td>
                  {canWrite ? (
                    <td className="actions">
                      {e.state === "firing" && !e.ackedBy ? (
                        <button type="button" className="btn btn-small" disabled={ack.isPending && ack.variables === e.id} onClick={() => ack.mutate(e.id)}>
                          Acknowledge
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );

  return (
    <Panel
      id="events"
      title={
        <>
          Events {firing ? <span className="badge state-firing">{firing} firing</span> : null}
        </>
      }
      actions={
        <>
          <label className="field field-inline">
            <span>State</span>
            <select value={state} onChange={(e) => setState(e.target.value)}>
              <option value="">All</option>
              <option value="firing">Firing</option>
              <option value="resolved">Resolved</option>
            </select>
          </label>
          <label className="field field-inline">
            <span>Host</span>
            <select value={hostId} onChange={(e) => setHostId(e.target.value)}>
              <option value="">All hosts</option>
              {hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.hostname}
                </option>
              ))}
            </select>
          </label>
          <label className="field field-inline">
            <span>Severity</span>
            <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
              <option value="">All</option>
              <option value="critical">Critical</option>
              <option value="warning">Warning</option>
              <option value="info">Info</option>
            </select>
          </label>
        </>
      }
    >
      {ack.isError ? <p className="form-error">Could not acknowledge: {errorText(ack.error)}</p> : null}
      <div className="flush">{body}</div>
    </Panel>
  );
}

"use client";
import Link from "next/link";
import { useMemo, useState, type FormEvent } from "react";
import { errorText } from "@/lib/client/api";
import { useAckEventMutation, useAlertEventsQuery, useAlertRulesQuery, useCreateSilenceMutation } from "@/lib/client/alerts";
import type { AlertEventView, AlertRuleView, HostRef, Severity } from "@/lib/client/types";
import { Empty, ErrorState, Loading, Panel } from "@/app/_components/Panel";
import { SeverityBadge } from "@/app/_components/StatusBadge";
import { dateTime, relativeTime } from "@/app/_components/format";
import { formatDuration } from "@/lib/format/duration";
import { useNow } from "@/app/_components/useNow";
import { Field } from "@/app/_components/Field";

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const SILENCE_FOR = [
  ["1h", 3_600_000],
  ["4h", 4 * 3_600_000],
  ["24h", 86_400_000],
  ["7d", 7 * 86_400_000],
] as const;

function SilenceForm({ event, ruleName, hostName, onDone }: { event: AlertEventView; ruleName: string; hostName: string; onDone: () => void }) {
  const create = useCreateSilenceMutation();
  const [forMs, setForMs] = useState<number>(SILENCE_FOR[0][1]);
  const [reason, setReason] = useState("");
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ ruleId: event.ruleId, hostId: event.hostId, endsAt: new Date(Date.now() + forMs).toISOString(), reason }, { onSuccess: onDone });
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label={`Silence ${ruleName} on ${hostName}`} noValidate>
      <Field label="For" className="field-inline">
        {(p) => (
          <select {...p} value={forMs} onChange={(e) => setForMs(Number(e.target.value))}>
            {SILENCE_FOR.map(([label, ms]) => (
              <option key={label} value={ms}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Reason" className="field-inline">
        {(p) => (
          <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. maintenance" />
        )}
      </Field>
      <button type="submit" className="btn btn-small btn-primary" disabled={create.isPending}>
        Silence
      </button>
      <button type="button" className="btn btn-small" onClick={onDone}>
        Cancel
      </button>
      {create.isError ? <span className="field-error">{errorText(create.error)}</span> : null}
    </form>
  );
}

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
  const [state, setState] = useState("");
  const [hostId, setHostId] = useState(initialHostId);
  const [severity, setSeverity] = useState("");
  const [silencing, setSilencing] = useState<string | null>(null);
  const isInitialFilter = state === "" && hostId === initialHostId;
  const events = useAlertEventsQuery({ state: state || undefined, hostId: hostId || undefined }, isInitialFilter ? initialEvents : undefined);
  const rules = useAlertRulesQuery(initialRules);
  const ack = useAckEventMutation();
  const now = useNow(initialNowMs);

  const hostName = useMemo(() => new Map(hosts.map((h) => [h.id, h.hostname])), [hosts]);
  const ruleById = useMemo(() => new Map((rules.data ?? []).map((r) => [r.id, r])), [rules.data]);
  const severityOf = (e: AlertEventView): Severity => e.severity ?? ruleById.get(e.ruleId)?.severity ?? "info";
  const rows = useMemo(() => {
    const list = (events.data ?? []).filter((e) => !severity || severityOf(e) === severity);
    return [...list].sort(
      (a, b) => (a.state === b.state ? 0 : a.state === "firing" ? -1 : 1) || (a.state === "firing" ? SEVERITY_RANK[severityOf(a)] - SEVERITY_RANK[severityOf(b)] : 0) || Date.parse(b.startedAt) - Date.parse(a.startedAt),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
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
              const ruleName = e.ruleName ?? ruleById.get(e.ruleId)?.name ?? "deleted rule";
              const host = e.hostname ?? hostName.get(e.hostId) ?? e.hostId.slice(0, 8);
              const end = e.resolvedAt ? Date.parse(e.resolvedAt) : now;
              return (
                <tr key={e.id} data-testid="event-row" data-state={e.state} data-rule={ruleName} data-host={host}>
                  <td className="nowrap">
                    <span className={`badge state-${e.state}`}>{e.state}</span>
                    {e.silenced ? (
                      <span className="badge" style={{ marginLeft: 4 }} title="Notifications were muted by a silence">
                        silenced
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <SeverityBadge severity={severityOf(e)} />
                  </td>
                  <td>
                    {ruleName}
                    {e.message ? <div className="muted small">{e.message}</div> : null}
                  </td>
                  <td>
                    <Link href={`/hosts/${e.hostId}`}>{host}</Link>
                  </td>
                  <td className="num">{e.value === null ? "—" : Math.round(e.value * 100) / 100}</td>
                  <td className="nowrap" title={`${dateTime(e.startedAt)} UTC`}>
                    {relativeTime(e.startedAt, now)}
                  </td>
                  <td className="nowrap">{formatDuration(Math.max(0, (end - Date.parse(e.startedAt)) / 1000))}</td>
                  <td className="nowrap" data-testid="ack-cell">
                    {e.ackedBy || e.ackedAt ? (
                      <span title={e.ackedAt ? `${dateTime(e.ackedAt)} UTC` : undefined}>by {e.ackedByEmail ?? "a former user"}</span>
                    ) : e.state === "firing" ? (
                      <span className="muted">no</span>
                    ) : (
                      "—"
                    )}
                  </td>
                  {canWrite ? (
                    <td className="actions">
                      {silencing === e.id ? (
                        <SilenceForm event={e} ruleName={ruleName} hostName={host} onDone={() => setSilencing(null)} />
                      ) : e.state === "firing" ? (
                        <>
                          {!e.ackedBy ? (
                            <button type="button" className="btn btn-small" disabled={ack.isPending && ack.variables === e.id} onClick={() => ack.mutate(e.id)} aria-label={`Acknowledge ${ruleName} on ${host}`}>
                              Acknowledge
                            </button>
                          ) : null}
                          <button type="button" className="btn btn-small" onClick={() => setSilencing(e.id)} aria-label={`Silence ${ruleName} on ${host}`}>
                            Silence
                          </button>
                        </>
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
          <Field label="State" className="field-inline">
            {(p) => (
              <select {...p} value={state} onChange={(e) => setState(e.target.value)}>
                <option value="">All</option>
                <option value="firing">Firing</option>
                <option value="resolved">Resolved</option>
              </select>
            )}
          </Field>
          <Field label="Host" className="field-inline">
            {(p) => (
              <select {...p} value={hostId} onChange={(e) => setHostId(e.target.value)}>
                <option value="">All hosts</option>
                {hosts.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.hostname}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Severity" className="field-inline">
            {(p) => (
              <select {...p} value={severity} onChange={(e) => setSeverity(e.target.value)}>
                <option value="">All</option>
                <option value="critical">Critical</option>
                <option value="warning">Warning</option>
                <option value="info">Info</option>
              </select>
            )}
          </Field>
        </>
      }
    >
      {ack.isError ? <p className="form-error">Could not acknowledge: {errorText(ack.error)}</p> : null}
      <div className="flush">{body}</div>
    </Panel>
  );
}

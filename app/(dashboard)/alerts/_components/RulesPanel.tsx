"use client";
import { useMemo, useState } from "react";
import { errorText } from "@/lib/client/api";
import { useAlertRulesQuery, useDeleteRuleMutation, useUpdateRuleMutation } from "@/lib/client/alerts";
import type { AlertRuleView, HostRef } from "@/lib/client/types";
import { Empty, ErrorState, Loading, Panel } from "@/app/_components/Panel";
import { SeverityBadge } from "@/app/_components/StatusBadge";
import { formatDuration } from "@/lib/format/duration";
import { METRIC_LABELS, RuleForm } from "./RuleForm";

export function describeRule(r: AlertRuleView): string {
  if (r.kind === "threshold") {
    const m = (r.metric && METRIC_LABELS[r.metric]) ?? r.metric ?? "?";
    return `${m} ${r.op ?? "?"} ${r.threshold ?? "?"}${r.forSeconds ? ` for ${formatDuration(r.forSeconds)}` : ""}`;
  }
  if (r.kind === "hostDown") return `no report for ${formatDuration(r.forSeconds)}`;
  const c = (r.config ?? {}) as { target?: string; pattern?: string; changes?: string[] };
  return `${c.target ?? "configuration"} ${c.changes?.length ? c.changes.join("/") : "changed"}${c.pattern ? ` matching ${c.pattern}` : ""}`;
}

export function RulesPanel({ hosts, canWrite, initialRules }: { hosts: HostRef[]; canWrite: boolean; initialRules: AlertRuleView[] }) {
  const rules = useAlertRulesQuery(initialRules);
  const update = useUpdateRuleMutation();
  const remove = useDeleteRuleMutation();
  const [editing, setEditing] = useState<AlertRuleView | "new" | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const hostName = useMemo(() => new Map(hosts.map((h) => [h.id, h.hostname])), [hosts]);
  const list = rules.data ?? [];

  let body;
  if (rules.isPending) body = <Loading what="Loading rules…" />;
  else if (rules.isError && !rules.data) body = <ErrorState onRetry={() => void rules.refetch()}>Could not load rules: {errorText(rules.error)}</ErrorState>;
  else if (list.length === 0) body = <Empty>No alert rules yet.{canWrite ? " Create one with “New rule”: for example CPU above 90% for 5 minutes." : ""}</Empty>;
  else
    body = (
      <div className="table-wrap">
        <table className="table" data-testid="rules-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Condition</th>
              <th scope="col">Hosts</th>
              <th scope="col">Severity</th>
              <th scope="col">Enabled</th>
              {canWrite ? (
                <th scope="col" className="actions">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id} data-testid="rule-row" data-rule={r.name}>
                <td>
                  {r.name}
                  {r.firing ? <span className="badge state-firing" style={{ marginLeft: 6 }}>{r.firing} firing</span> : null}
                </td>
                <td className="muted">{r.kind}</td>
                <td className="mono">{describeRule(r)}</td>
                <td>{r.hostId ? (r.hostname ?? hostName.get(r.hostId) ?? r.hostId.slice(0, 8)) : "all hosts"}</td>
                <td>
                  <SeverityBadge severity={r.severity} />
                </td>
                <td>
                  {canWrite ? (
                    <label className="field check">
                      <input type="checkbox" checked={r.enabled} disabled={update.isPending} onChange={(e) => update.mutate({ id: r.id, enabled: e.target.checked })} />
                      <span>{r.enabled ? "on" : "off"}</span>
                    </label>
                  ) : r.enabled ? (
                    "on"
                  ) : (
                    <span className="muted">off</span>
                  )}
                </td>
                {canWrite ? (
                  <td className="actions">
                    {confirmDelete === r.id ? (
                      <>
                        <button type="button" className="btn btn-small btn-danger" onClick={() => remove.mutate(r.id, { onSettled: () => setConfirmDelete(null) })}>
                          Confirm delete
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => setConfirmDelete(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <>
                        <button type="button" className="btn btn-small" onClick={() => setEditing(r)} aria-label={`Edit ${r.name}`}>
                          Edit
                        </button>
                        <button type="button" className="btn btn-small btn-danger" onClick={() => setConfirmDelete(r.id)} aria-label={`Delete ${r.name}`}>
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <Panel
      id="rules"
      title="Rules"
      actions={
        canWrite && editing === null ? (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setEditing("new")}>
            New rule
          </button>
        ) : null
      }
    >
      {update.isError ? <p className="form-error">Could not update the rule: {errorText(update.error)}</p> : null}
      {remove.isError ? <p className="form-error">Could not delete the rule: {errorText(remove.error)}</p> : null}
      {canWrite && editing !== null ? <RuleForm key={editing === "new" ? "new" : editing.id} hosts={hosts} rule={editing === "new" ? null : editing} onDone={() => setEditing(null)} /> : null}
      <div className="flush">{body}</div>
    </Panel>
  );
}

"use client";
import { useMemo, useState } from "react";
import { useAlertRulesQuery, useDeleteRuleMutation, useUpdateRuleMutation } from "@/lib/client/alerts";
import type { AlertRuleView } from "@/lib/client/types";
import { MutationError, QueryPanel } from "@/app/_components/QueryPanel";
import { actionsColumn, DataTable } from "@/app/_components/DataTable";
import { ConfirmButton } from "@/app/_components/ConfirmButton";
import { SeverityBadge } from "@/app/_components/StatusBadge";
import type { HostRef } from "@/lib/client/types";
import { METRIC_LABELS, RuleForm } from "./RuleForm";
import { describeRule } from "./rule-text";

const metricLabel = (m: string): string | undefined => (METRIC_LABELS as Record<string, string | undefined>)[m];
const columns = (canWrite: boolean) => ["Name", "Kind", "Condition", "Hosts", "Severity", "Enabled", canWrite && actionsColumn];

export function RulesPanel({ hosts, canWrite, initialRules }: { hosts: HostRef[]; canWrite: boolean; initialRules: AlertRuleView[] }) {
  const rules = useAlertRulesQuery(initialRules);
  const update = useUpdateRuleMutation();
  const remove = useDeleteRuleMutation();
  const [editing, setEditing] = useState<AlertRuleView | "new" | null>(null);
  const hostName = useMemo(() => new Map(hosts.map((h) => [h.id, h.hostname])), [hosts]);
  const actions: RuleActions = {
    updating: update.isPending,
    setEnabled: (r, enabled) => update.mutate({ id: r.id, enabled }),
    edit: setEditing,
    remove: (r, done) => remove.mutate(r.id, { onSettled: done }),
  };

  return (
    <QueryPanel
      id="rules"
      title="Rules"
      actions={
        canWrite && editing === null ? (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setEditing("new")}>
            New rule
          </button>
        ) : null
      }
      before={
        <>
          <MutationError mutation={update} doing="update the rule" />
          <MutationError mutation={remove} doing="delete the rule" />
          {canWrite && editing !== null ? <RuleForm key={editing === "new" ? "new" : editing.id} hosts={hosts} rule={editing === "new" ? null : editing} onDone={() => setEditing(null)} /> : null}
        </>
      }
      query={rules}
      what="rules"
      empty={<>No alert rules yet.{canWrite ? " Create one with “New rule”: for example CPU above 90% for 5 minutes." : ""}</>}
    >
      {(list) => (
        <DataTable
          caption="Alert rules"
          testId="rules-table"
          columns={columns(canWrite)}
          rows={list}
          row={(r) => <RuleRow rule={r} hostname={r.hostId ? (r.hostname ?? hostName.get(r.hostId) ?? r.hostId.slice(0, 8)) : r.selector ? `labels ${r.selector}` : "all hosts"} actions={canWrite ? actions : undefined} />}
        />
      )}
    </QueryPanel>
  );
}

type RuleActions = { updating: boolean; setEnabled: (r: AlertRuleView, enabled: boolean) => void; edit: (r: AlertRuleView) => void; remove: (r: AlertRuleView, done: () => void) => void };

/** One rule: its condition in words, where it applies, and (for writers) its switch and buttons. */
function RuleRow({ rule: r, hostname, actions }: { rule: AlertRuleView; hostname: string; actions?: RuleActions }) {
  return (
    <tr data-testid="rule-row" data-rule={r.name}>
      <td>
        {r.name}
        {r.firing ? (
          <span className="badge state-firing" style={{ marginLeft: 6 }}>
            {r.firing} firing
          </span>
        ) : null}
      </td>
      <td className="muted">{r.kind}</td>
      <td className="mono">{describeRule(r, metricLabel)}</td>
      <td>{hostname}</td>
      <td>
        <SeverityBadge severity={r.severity} />
      </td>
      <td>
        {actions ? (
          <label className="field check">
            <input type="checkbox" checked={r.enabled} disabled={actions.updating} onChange={(e) => actions.setEnabled(r, e.target.checked)} />
            <span>{r.enabled ? "on" : "off"}</span>
          </label>
        ) : r.enabled ? (
          "on"
        ) : (
          <span className="muted">off</span>
        )}
      </td>
      {actions ? (
        <td className="actions">
          <button type="button" className="btn btn-small" onClick={() => actions.edit(r)} aria-label={`Edit ${r.name}`}>
            Edit
          </button>
          <ConfirmButton label="Delete" confirmLabel="Confirm delete" ariaLabel={`Delete ${r.name}`} onConfirm={(done) => actions.remove(r, done)} />
        </td>
      ) : null}
    </tr>
  );
}

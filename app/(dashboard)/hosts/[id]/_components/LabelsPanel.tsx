"use client";
import { useState } from "react";
import { errorText } from "@/lib/client/api";
import { useHostLabelChangesQuery, useSetHostLabelsMutation } from "@/lib/client/hosts";
import type { HostSummary } from "@/lib/client/types";
import { actionsColumn, DataTable } from "@/app/_components/DataTable";
import { Empty, Panel } from "@/app/_components/Panel";
import { MutationError } from "@/app/_components/QueryPanel";
import { dateTime } from "@/app/_components/format";
import { labelChangeText } from "./label-history";

type Row = { id: number; key: string; value: string };

const rowsOf = (labels: Record<string, string>): Row[] =>
  Object.keys(labels)
    .sort()
    .map((key, id) => ({ id, key, value: labels[key]! }));

const sourceText = (h: HostSummary, key: string) => {
  if (h.labelSources[key] !== "user") return "agent";
  return Object.hasOwn(h.agentLabels, key) ? `user (agent says ${h.agentLabels[key] === "" ? "no value" : h.agentLabels[key]})` : "user";
};

/**
 * The host's labels and where each comes from. Operators edit the whole set and save it in one
 * PATCH (the server decides precedence and answers with the reason for a refusal); a user's value
 * or removal can be handed back to the agent. Viewers see the labels only.
 */
export function LabelsPanel({ host, canEdit }: { host: HostSummary; canEdit: boolean }) {
  const [editing, setEditing] = useState<Row[] | null>(null);
  const save = useSetHostLabelsMutation(host.id);
  const [localError, setLocalError] = useState<string | null>(null);
  const keys = Object.keys(host.labels).sort();
  const removed = host.removedLabels.filter((k) => Object.hasOwn(host.agentLabels, k));

  const submit = (rows: Row[], resetLabels?: string[]) => {
    const labels: Record<string, string> = {};
    for (const r of rows) {
      const key = r.key.trim();
      if (key === "" && r.value.trim() === "") continue;
      if (Object.hasOwn(labels, key)) {
        setLocalError(`"${key}" is given twice`);
        return;
      }
      labels[key] = r.value.trim();
    }
    setLocalError(null);
    save.mutate({ labels, ...(resetLabels ? { resetLabels } : {}) }, { onSuccess: () => setEditing(null) });
  };
  const handBack = (key: string) => submit(rowsOf(host.labels).filter((r) => r.key !== key), [key]);

  const actions =
    canEdit && !editing ? (
      <button type="button" className="btn btn-small" onClick={() => {
          save.reset();
          setEditing(rowsOf(host.labels));
        }}>
        Edit labels
      </button>
    ) : null;

  return (
    <Panel title="Labels" id="labels" actions={actions}>
      {editing ? (
        <form
          className="labels-editor"
          aria-label="Edit labels"
          onSubmit={(e) => {
            e.preventDefault();
            submit(editing);
          }}
        >
          <p className="muted small">
            Keys: a-z 0-9 _ . - / · values: A-Z a-z 0-9 _ . - (or empty). Your values win over the agent&apos;s and survive its reports; a label you remove stays removed.
          </p>
          <DataTable
            caption="Labels being edited"
            wrapClassName=""
            columns={["Key", "Value", actionsColumn]}
            rows={editing}
            rowKey={(r) => String(r.id)}
            empty="No labels: add one, or save to remove them all."
            row={(r) => (
              <tr data-testid="label-edit-row">
                <td>
                  <input
                    aria-label={`Key of label ${r.id + 1}`}
                    value={r.key}
                    onChange={(e) => setEditing(editing.map((x) => (x.id === r.id ? { ...x, key: e.target.value } : x)))}
                    spellCheck={false}
                    autoComplete="off"
                  />
                </td>
                <td>
                  <input
                    aria-label={`Value of label ${r.id + 1}`}
                    value={r.value}
                    onChange={(e) => setEditing(editing.map((x) => (x.id === r.id ? { ...x, value: e.target.value } : x)))}
                    spellCheck={false}
                    autoComplete="off"
                  />
                </td>
                <td className="actions">
                  <button type="button" className="btn btn-small btn-danger" onClick={() => setEditing(editing.filter((x) => x.id !== r.id))} aria-label={`Remove label ${r.key || r.id + 1}`}>
                    Remove
                  </button>
                </td>
              </tr>
            )}
          />
          <div className="label-row-actions">
            <button type="button" className="btn btn-small" onClick={() => setEditing([...editing, { id: Math.max(-1, ...editing.map((r) => r.id)) + 1, key: "", value: "" }])}>
              Add label
            </button>
            <button type="submit" className="btn btn-small btn-primary" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save labels"}
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => {
                setEditing(null);
                setLocalError(null);
                save.reset();
              }}>
              Cancel
            </button>
          </div>
          {localError ? <p className="form-error">Could not save the labels: {localError}</p> : null}
          <MutationError mutation={save} doing="save the labels" />
        </form>
      ) : keys.length === 0 ? (
        <Empty>No labels. {canEdit ? "Edit labels to add some, or start the agent with --label env=prod." : "The agent sets them with --label; operators can add them here."}</Empty>
      ) : (
        <>
          <DataTable
            caption="Labels and their sources"
            testId="labels-table"
            wrapClassName=""
            columns={["Label", "Source", ...(canEdit ? [actionsColumn] : [])]}
            rows={keys}
            rowKey={(k) => k}
            row={(k) => (
              <tr data-testid="label-row" data-label={k}>
                <td className="mono">{host.labels[k] === "" ? k : `${k}=${host.labels[k]}`}</td>
                <td>{sourceText(host, k)}</td>
                {canEdit ? (
                  <td className="actions">
                    {host.labelSources[k] === "user" && Object.hasOwn(host.agentLabels, k) ? (
                      <button type="button" className="btn btn-small" disabled={save.isPending} onClick={() => handBack(k)}>
                        Use the agent&apos;s value
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            )}
          />
        </>
      )}
      {!editing && removed.length > 0 ? (
        <p className="muted small" data-testid="removed-labels">
          Removed by a user, still reported by the agent:{" "}
          {removed.map((k) => (
            <span key={k} className="nowrap">
              <span className="mono">{host.agentLabels[k] === "" ? k : `${k}=${host.agentLabels[k]}`}</span>{" "}
              {canEdit ? (
                <button type="button" className="btn btn-small" disabled={save.isPending} onClick={() => handBack(k)}>
                  Restore {k}
                </button>
              ) : null}{" "}
            </span>
          ))}
        </p>
      ) : null}
      {!editing ? <MutationError mutation={save} doing="save the labels" /> : null}
      <LabelHistory hostId={host.id} />
    </Panel>
  );
}

/** The last few user edits of the labels: when, who, what changed. Nothing edited yet: nothing shown. */
function LabelHistory({ hostId }: { hostId: string }) {
  const changes = useHostLabelChangesQuery(hostId);
  if (changes.isError) return <p className="muted small">Could not load the label history: {errorText(changes.error)}</p>;
  const recent = (changes.data ?? []).slice(0, 5);
  if (recent.length === 0) return null;
  return (
    <div className="label-history" data-testid="label-history">
      <h3 className="small">Recent changes</h3>
      <ul>
        {recent.map((c) => (
          <li key={c.id} className="small">
            <span className="nowrap">{dateTime(c.createdAt)} UTC</span> · {c.actorEmail ?? "a deleted user"} · {labelChangeText(c.before.labels, c.after.labels)}
          </li>
        ))}
      </ul>
    </div>
  );
}

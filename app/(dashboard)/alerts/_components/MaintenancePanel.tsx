"use client";
import { useState, type FormEvent } from "react";
import { ApiError, errorText } from "@/lib/client/api";
import { useCreateMaintenanceMutation, useDeleteMaintenanceMutation, useMaintenanceQuery } from "@/lib/client/alerts";
import type { HostRef, MaintenanceView } from "@/lib/client/types";
import { MutationError, QueryPanel } from "@/app/_components/QueryPanel";
import { actionsColumn, DataTable } from "@/app/_components/DataTable";
import { ConfirmButton } from "@/app/_components/ConfirmButton";
import { Field } from "@/app/_components/Field";
import { dateTime } from "@/app/_components/format";
import { formatDuration } from "@/lib/format/duration";
import { SelectorPreview } from "./SelectorPreview";

const columns = (canWrite: boolean) => ["Name", "Hosts", "When", "Now", "By", canWrite && actionsColumn];

export function MaintenancePanel({ hosts, canWrite, initialWindows }: { hosts: HostRef[]; canWrite: boolean; initialWindows: MaintenanceView[] }) {
  const windows = useMaintenanceQuery(initialWindows);
  const remove = useDeleteMaintenanceMutation();
  const [adding, setAdding] = useState(false);
  return (
    <QueryPanel
      id="maintenance"
      title="Maintenance windows"
      actions={
        <>
          <span className="muted small">events in a window are recorded and marked, not notified</span>
          {canWrite && !adding ? (
            <button type="button" className="btn btn-primary btn-small" onClick={() => setAdding(true)}>
              New window
            </button>
          ) : null}
        </>
      }
      before={
        <>
          <MutationError mutation={remove} doing="delete the window" />
          {canWrite && adding ? <MaintenanceForm hosts={hosts} onDone={() => setAdding(false)} /> : null}
        </>
      }
      query={windows}
      what="maintenance windows"
      empty={<>No maintenance window open or planned.</>}
    >
      {(list) => (
        <DataTable
          caption="Maintenance windows"
          testId="maintenance-table"
          columns={columns(canWrite)}
          rows={list}
          row={(w) => <WindowRow window={w} onDelete={canWrite ? (done) => remove.mutate(w.id, { onSettled: done }) : undefined} />}
        />
      )}
    </QueryPanel>
  );
}

function WindowRow({ window: w, onDelete }: { window: MaintenanceView; onDelete?: (done: () => void) => void }) {
  return (
    <tr data-testid="maintenance-row" data-name={w.name}>
      <td>{w.name}</td>
      <td>{w.hostname ?? (w.selector ? <span className="mono">{w.selector}</span> : "—")}</td>
      <td>
        {w.cron ? (
          <>
            <span className="mono">{w.cron}</span> <span className="muted">({w.timezone}) for {formatDuration(w.durationSeconds)}</span>
          </>
        ) : (
          <>
            {w.startsAt ? dateTime(w.startsAt) : "—"} – {w.endsAt ? dateTime(w.endsAt) : "—"} <span className="muted">UTC</span>
          </>
        )}
      </td>
      <td className="nowrap">
        {w.active ? (
          <span className="badge state-maintenance" title={w.periodEnd ? `until ${dateTime(w.periodEnd)} UTC` : undefined}>
            in maintenance
          </span>
        ) : w.periodStart ? (
          <span className="muted">next {dateTime(w.periodStart)} UTC</span>
        ) : (
          <span className="muted">over</span>
        )}
      </td>
      <td className="muted">{w.createdByEmail ?? "—"}</td>
      {onDelete ? (
        <td className="actions">
          <ConfirmButton label="Delete" confirmLabel="Confirm delete" ariaLabel={`Delete window ${w.name}`} onConfirm={onDelete} />
        </td>
      ) : null}
    </tr>
  );
}

const BY_SELECTOR = "selector";
/** A datetime-local value for an instant, in the browser's zone. */
const localInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

function MaintenanceForm({ hosts, onDone }: { hosts: HostRef[]; onDone: () => void }) {
  const create = useCreateMaintenanceMutation();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<string>(BY_SELECTOR);
  const [selector, setSelector] = useState("");
  const [recurring, setRecurring] = useState(false);
  const [startsAt, setStartsAt] = useState(() => localInput(Date.now()));
  const [endsAt, setEndsAt] = useState(() => localInput(Date.now() + 2 * 3_600_000));
  const [cron, setCron] = useState("0 2 * * 0");
  const [timezone, setTimezone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  const [duration, setDuration] = useState("7200");
  const issues = create.error instanceof ApiError ? create.error.issues : [];
  const issueFor = (path: string) => issues.find((i) => i.path === path)?.message;

  function submit(e: FormEvent) {
    e.preventDefault();
    const target = scope === BY_SELECTOR ? { selector } : { hostId: scope };
    const when = recurring ? { cron, timezone, durationSeconds: duration.trim() === "" ? undefined : Number(duration) } : { startsAt: isoOf(startsAt), endsAt: isoOf(endsAt) };
    create.mutate({ name, ...target, ...when }, { onSuccess: onDone });
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New maintenance window" data-testid="maintenance-form">
      {create.isError ? (
        <p className="form-error" data-testid="maintenance-form-error">
          {errorText(create.error)}
        </p>
      ) : null}
      <div className="form-row">
        <Field label="Name" error={issueFor("name")}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. kernel patching" />}
        </Field>
        <Field label="Hosts" error={issueFor("hostId")}>
          {(p) => (
            <select {...p} value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value={BY_SELECTOR}>Hosts matching a label selector</option>
              {hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.hostname}
                </option>
              ))}
            </select>
          )}
        </Field>
        {scope === BY_SELECTOR ? (
          <Field label="Label selector" error={issueFor("selector")} className="field-wide">
            {(p) => <input {...p} value={selector} onChange={(e) => setSelector(e.target.value)} placeholder="e.g. env=staging" spellCheck={false} />}
          </Field>
        ) : null}
        <label className="field check">
          <input type="checkbox" checked={recurring} onChange={(e) => setRecurring(e.target.checked)} />
          <span>Recurring</span>
        </label>
      </div>
      {scope === BY_SELECTOR ? <SelectorPreview selector={selector} /> : null}
      <div className="form-row">
        {recurring ? (
          <>
            <Field label="Starts (cron: minute hour day month weekday)" error={issueFor("cron")}>
              {(p) => <input {...p} className="mono" value={cron} onChange={(e) => setCron(e.target.value)} spellCheck={false} />}
            </Field>
            <Field label="Time zone (IANA)" error={issueFor("timezone")}>
              {(p) => <input {...p} value={timezone} onChange={(e) => setTimezone(e.target.value)} />}
            </Field>
            <Field label="Lasts (seconds)" error={issueFor("durationSeconds")}>
              {(p) => <input {...p} inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value)} style={{ width: 120 }} />}
            </Field>
          </>
        ) : (
          <>
            <Field label="Starts" error={issueFor("startsAt")}>
              {(p) => <input {...p} type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />}
            </Field>
            <Field label="Ends" error={issueFor("endsAt")}>
              {(p) => <input {...p} type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} />}
            </Field>
          </>
        )}
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Create window
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

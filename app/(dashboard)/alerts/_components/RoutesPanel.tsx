"use client";
import { useState, type FormEvent } from "react";
import { ApiError, errorText } from "@/lib/client/api";
import { useCreateRouteMutation, useDeleteRouteMutation, useRoutesQuery } from "@/lib/client/alerts";
import type { ChannelRef, RouteView, Severity } from "@/lib/client/types";
import { MutationError, QueryPanel } from "@/app/_components/QueryPanel";
import { actionsColumn, DataTable } from "@/app/_components/DataTable";
import { ConfirmButton } from "@/app/_components/ConfirmButton";
import { Field } from "@/app/_components/Field";
import { SeverityBadge } from "@/app/_components/StatusBadge";
import { SelectorPreview } from "./SelectorPreview";

const SEVERITIES: Severity[] = ["info", "warning", "critical"];
const columns = (canWrite: boolean) => ["Order", "Name", "Hosts", "Severities", "Channels", canWrite && actionsColumn];

/** Routes decide where rules without their own channels notify: the first that matches, by order. */
export function RoutesPanel({ canWrite }: { canWrite: boolean }) {
  const routes = useRoutesQuery();
  const remove = useDeleteRouteMutation();
  const [adding, setAdding] = useState(false);
  const channelName = new Map((routes.data?.channels ?? []).map((c) => [c.id, c.name]));
  return (
    <QueryPanel
      id="routes"
      title="Notification routes"
      actions={
        <>
          <span className="muted small">for rules without their own channels; the first match wins, no match: every channel</span>
          {canWrite && !adding ? (
            <button type="button" className="btn btn-primary btn-small" onClick={() => setAdding(true)}>
              New route
            </button>
          ) : null}
        </>
      }
      before={
        <>
          <MutationError mutation={remove} doing="delete the route" />
          {canWrite && adding ? <RouteForm channels={routes.data?.channels ?? []} nextPosition={(routes.data?.routes.length ?? 0) * 10} onDone={() => setAdding(false)} /> : null}
        </>
      }
      query={routes}
      what="routes"
      isEmpty={(data) => data.routes.length === 0}
      empty={<>No routes: every rule without its own channels notifies every enabled channel.</>}
    >
      {(data) => (
        <DataTable
          caption="Notification routes"
          testId="routes-table"
          columns={columns(canWrite)}
          rows={data.routes}
          row={(r) => <RouteRow route={r} channelName={(id) => channelName.get(id) ?? "deleted channel"} onDelete={canWrite ? (done) => remove.mutate(r.id, { onSettled: done }) : undefined} />}
        />
      )}
    </QueryPanel>
  );
}

function RouteRow({ route: r, channelName, onDelete }: { route: RouteView; channelName: (id: string) => string; onDelete?: (done: () => void) => void }) {
  return (
    <tr data-testid="route-row" data-name={r.name}>
      <td className="num">{r.position}</td>
      <td>{r.name}</td>
      <td>{r.selector ? <span className="mono">{r.selector}</span> : <span className="muted">any host</span>}</td>
      <td>{r.severities.length ? r.severities.map((s) => <SeverityBadge key={s} severity={s} />) : <span className="muted">any</span>}</td>
      <td>{r.channelIds.map(channelName).join(", ")}</td>
      {onDelete ? (
        <td className="actions">
          <ConfirmButton label="Delete" confirmLabel="Confirm delete" ariaLabel={`Delete route ${r.name}`} onConfirm={onDelete} />
        </td>
      ) : null}
    </tr>
  );
}

function RouteForm({ channels, nextPosition, onDone }: { channels: ChannelRef[]; nextPosition: number; onDone: () => void }) {
  const create = useCreateRouteMutation();
  const [name, setName] = useState("");
  const [selector, setSelector] = useState("");
  const [severities, setSeverities] = useState<Severity[]>([]);
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const [position, setPosition] = useState(String(nextPosition));
  const issues = create.error instanceof ApiError ? create.error.issues : [];
  const issueFor = (path: string) => issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message;
  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v));

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name, selector: selector.trim() === "" ? null : selector, severities, channelIds, position: position.trim() === "" ? undefined : Number(position) }, { onSuccess: onDone });
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New route" data-testid="route-form">
      {create.isError ? <p className="form-error">{errorText(create.error)}</p> : null}
      <div className="form-row">
        <Field label="Name" error={issueFor("name")}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. database pager" />}
        </Field>
        <Field label="Label selector (empty: any host)" error={issueFor("selector")} className="field-wide">
          {(p) => <input {...p} value={selector} onChange={(e) => setSelector(e.target.value)} placeholder="e.g. team=db" spellCheck={false} />}
        </Field>
        <Field label="Order" error={issueFor("position")}>
          {(p) => <input {...p} inputMode="numeric" value={position} onChange={(e) => setPosition(e.target.value)} style={{ width: 80 }} />}
        </Field>
      </div>
      <SelectorPreview selector={selector} />
      <div className="form-row">
        <fieldset className="field checks">
          <legend>Severities (none: any)</legend>
          {SEVERITIES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={severities.includes(s)} onChange={(e) => setSeverities(toggle(severities, s, e.target.checked))} />
              <span>{s}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="field checks">
          <legend>Channels</legend>
          {channels.length === 0 ? <span className="muted small">No channels yet (an admin adds them).</span> : null}
          {channels.map((c) => (
            <label key={c.id} className="check">
              <input type="checkbox" checked={channelIds.includes(c.id)} onChange={(e) => setChannelIds(toggle(channelIds, c.id, e.target.checked))} />
              <span>{c.name}</span>
            </label>
          ))}
          {issueFor("channelIds") ? <span className="field-error">{issueFor("channelIds")}</span> : null}
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Create route
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

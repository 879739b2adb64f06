"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useCreateEnrollmentTokenMutation, useEnrollmentTokensQuery } from "@/lib/client/enrollment";
import { useHostsQuery, useRevokeAgentMutation } from "@/lib/client/hosts";
import type { EnrollmentTokenInfo, HostSummary } from "@/lib/client/types";
import { Panel } from "@/app/_components/Panel";
import { MutationError, QueryBody, QueryPanel } from "@/app/_components/QueryPanel";
import { actionsColumn, DataTable } from "@/app/_components/DataTable";
import { ConfirmButton } from "@/app/_components/ConfirmButton";
import { StatusBadge } from "@/app/_components/StatusBadge";
import { dateTime, relativeTime, timeUntil } from "@/app/_components/format";
import { useNow } from "@/app/_components/useNow";
import { Field } from "@/app/_components/Field";
import { CopyButton } from "@/app/_components/CopyButton";
import { installCommand, tokenState } from "./install-command";

function TokenPanel({ origin, initialTokens, now }: { origin: string; initialTokens: EnrollmentTokenInfo[]; now: number }) {
  const tokens = useEnrollmentTokensQuery(initialTokens);
  const create = useCreateEnrollmentTokenMutation();
  const [ttlHours, setTtl] = useState("24");
  const [maxUses, setMaxUses] = useState("1");

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ ttlHours: Number(ttlHours), maxUses: Number(maxUses) });
  }

  const created = create.data;
  return (
    <Panel title="Enroll a host" id="enroll">
      <form className="form-row" onSubmit={submit} aria-label="Create an enrollment token" style={{ marginBottom: 10 }}>
        <Field label="Valid for (hours)">
          {(p) => (
            <input {...p} inputMode="numeric" value={ttlHours} onChange={(e) => setTtl(e.target.value)} style={{ width: 120 }} />
          )}
        </Field>
        <Field label="Hosts it may enroll">
          {(p) => (
            <input {...p} inputMode="numeric" value={maxUses} onChange={(e) => setMaxUses(e.target.value)} style={{ width: 120 }} />
          )}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Create enrollment token
        </button>
      </form>
      <MutationError mutation={create} />
      {created ? (
        <div className="token-once" data-testid="new-token">
          <strong>Run this on the VM as root. The token is shown only now.</strong>
          <div className="install">
            <pre data-testid="install-command">{installCommand(origin, created.token)}</pre>
            <CopyButton text={installCommand(origin, created.token)} label="Copy the install command" />
          </div>
          <span className="muted small">
            Valid until {dateTime(created.expiresAt)} UTC for {created.maxUses} host{created.maxUses === 1 ? "" : "s"}. Token: <code>{created.token}</code>
          </span>
        </div>
      ) : (
        <p className="muted" style={{ margin: "0 0 8px" }}>
          Create a token, then run the one-line installer on the VM: <code>{installCommand(origin, "<token>")}</code>
        </p>
      )}
      <p className="small" style={{ margin: "10px 0" }}>
        Or download the agent yourself: <a href="/api/agent/download?arch=x64">Linux x86-64</a> · <a href="/api/agent/download?arch=arm64">Linux ARM64</a>, then run{" "}
        <code>infra-watch-agent enroll --server {origin} --token &lt;token&gt;</code> and <code>infra-watch-agent run</code>.
      </p>
      <h3>Enrollment tokens</h3>
      <QueryBody query={tokens} what="enrollment tokens" empty="No enrollment token has been created yet.">
        {(list) => <DataTable caption="Enrollment tokens" testId="tokens-table" wrapClassName="table-wrap scroll" columns={TOKEN_COLUMNS} rows={list} row={(t) => <TokenRow token={t} now={now} />} />}
      </QueryBody>
    </Panel>
  );
}

const TOKEN_COLUMNS = ["Created", "Expires", { key: "Used", label: "Used", className: "num" }, "State"];

/** One token: when it was made, how long it is good for, how many of its uses are spent, and its state. */
function TokenRow({ token: t, now }: { token: EnrollmentTokenInfo; now: number }) {
  const state = tokenState(t);
  return (
    <tr>
      <td className="nowrap">{dateTime(t.createdAt)}</td>
      <td className="nowrap">
        <span title={`${dateTime(t.expiresAt)} UTC`}>{timeUntil(t.expiresAt, now)}</span>
      </td>
      <td className="num">
        {t.uses} / {t.maxUses}
      </td>
      <td>{state === "active" ? <span className="badge status-up">active</span> : <span className="badge">{state}</span>}</td>
    </tr>
  );
}

const AGENT_COLUMNS = ["Host", "Status", "Agent version", "Last seen", "Enrolled", actionsColumn];

function AgentHosts({ initialHosts, now }: { initialHosts: HostSummary[]; now: number }) {
  const hosts = useHostsQuery(initialHosts);
  const revoke = useRevokeAgentMutation();
  const [revoked, setRevoked] = useState<Set<string>>(new Set());
  const revokeAgent = (h: HostSummary, done: () => void) => revoke.mutate(h.id, { onSuccess: () => setRevoked((s) => new Set(s).add(h.id)), onSettled: done });
  return (
    <QueryPanel
      title="Agents"
      id="agents"
      flush={false}
      actions={<span className="muted small">revoking stops the host’s agent token; its data stays</span>}
      before={<MutationError mutation={revoke} />}
      query={hosts}
      what="hosts"
      empty="No agent has enrolled yet."
    >
      {(list) => (
        <DataTable caption="Enrolled agents" testId="agents-table" columns={AGENT_COLUMNS} rows={list} row={(h) => <AgentRow host={h} now={now} revoked={revoked.has(h.id)} onRevoke={(done) => revokeAgent(h, done)} />} />
      )}
    </QueryPanel>
  );
}

/** One enrolled agent: its host, version, last report, and the revoke button (asks twice). */
function AgentRow({ host: h, now, revoked, onRevoke }: { host: HostSummary; now: number; revoked: boolean; onRevoke: (done: () => void) => void }) {
  return (
    <tr data-testid="agent-row" data-host={h.hostname}>
      <td>
        <Link href={`/hosts/${h.id}`}>{h.hostname}</Link>
      </td>
      <td>
        <StatusBadge status={h.status} />
      </td>
      <td className="mono">{h.agentVersion ?? "—"}</td>
      <td className="nowrap">{relativeTime(h.lastSeenAt, now)}</td>
      <td className="nowrap muted">{dateTime(h.enrolledAt)}</td>
      <td className="actions">
        {revoked ? <span className="muted">revoked</span> : <ConfirmButton label="Revoke" confirmLabel="Confirm revoke" ariaLabel={`Revoke the agent of ${h.hostname}`} onConfirm={onRevoke} />}
      </td>
    </tr>
  );
}

export function AgentsAdmin({ origin, initialTokens, initialHosts, initialNowMs }: { origin: string; initialTokens: EnrollmentTokenInfo[]; initialHosts: HostSummary[]; initialNowMs: number }) {
  const now = useNow(initialNowMs);
  return (
    <>
      <div className="page-head">
        <h1>Agents</h1>
        <span className="sub">enroll VMs and manage their agents</span>
      </div>
      <TokenPanel origin={origin} initialTokens={initialTokens} now={now} />
      <AgentHosts initialHosts={initialHosts} now={now} />
    </>
  );
}

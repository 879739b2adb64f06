"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { errorText } from "@/lib/client/api";
import { useCreateEnrollmentTokenMutation, useEnrollmentTokensQuery } from "@/lib/client/enrollment";
import { useHostsQuery, useRevokeAgentMutation } from "@/lib/client/hosts";
import type { EnrollmentTokenInfo, HostSummary } from "@/lib/client/types";
import { Empty, ErrorState, Loading, Panel } from "@/app/_components/Panel";
import { StatusBadge } from "@/app/_components/StatusBadge";
import { dateTime, relativeTime, timeUntil } from "@/app/_components/format";
import { useNow } from "@/app/_components/useNow";
import { Field } from "@/app/_components/Field";

/**
 * The installer reads the token from a file (see app/api/agent/install.sh): `echo` is a shell
 * builtin, so the token never appears in a command line that `ps` shows other users.
 */
export const installCommand = (origin: string, token: string) =>
  `F=$(mktemp) && echo '${token}' > "$F" && curl -fsSL ${origin}/api/agent/install.sh | sudo sh -s -- --token-file "$F"; rm -f "$F"`;

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-small"
      aria-label={label}
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          },
          () => setCopied(false),
        )
      }
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

function TokenPanel({ origin, initialTokens, now }: { origin: string; initialTokens: EnrollmentTokenInfo[]; now: number }) {
  const tokens = useEnrollmentTokensQuery(initialTokens);
  const create = useCreateEnrollmentTokenMutation();
  const [ttlHours, setTtl] = useState("24");
  const [maxUses, setMaxUses] = useState("1");

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ ttlHours: Number(ttlHours), maxUses: Number(maxUses) });
  }

  const list = tokens.data ?? [];
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
      {create.isError ? <p className="form-error">{errorText(create.error)}</p> : null}
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
      {tokens.isPending ? (
        <Loading />
      ) : tokens.isError && !tokens.data ? (
        <ErrorState onRetry={() => void tokens.refetch()}>Could not load tokens: {errorText(tokens.error)}</ErrorState>
      ) : list.length === 0 ? (
        <Empty>No enrollment token has been created yet.</Empty>
      ) : (
        <div className="table-wrap scroll">
          <table className="table" data-testid="tokens-table">
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col" className="num">
                  Used
                </th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => (
                <tr key={t.id}>
                  <td className="nowrap">{dateTime(t.createdAt)}</td>
                  <td className="nowrap"><span title={`${dateTime(t.expiresAt)} UTC`}>{timeUntil(t.expiresAt, now)}</span></td>
                  <td className="num">
                    {t.uses} / {t.maxUses}
                  </td>
                  <td>{t.active ? <span className="badge status-up">active</span> : <span className="badge">{t.revokedAt ? "revoked" : t.uses >= t.maxUses ? "used up" : "expired"}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

function AgentHosts({ initialHosts, now }: { initialHosts: HostSummary[]; now: number }) {
  const hosts = useHostsQuery(initialHosts);
  const revoke = useRevokeAgentMutation();
  const [confirm, setConfirm] = useState<string | null>(null);
  const [revoked, setRevoked] = useState<Set<string>>(new Set());
  const list = hosts.data ?? [];
  return (
    <Panel title="Agents" id="agents" actions={<span className="muted small">revoking stops the host’s agent token; its data stays</span>}>
      {revoke.isError ? <p className="form-error">{errorText(revoke.error)}</p> : null}
      {hosts.isPending ? (
        <Loading />
      ) : hosts.isError && !hosts.data ? (
        <ErrorState onRetry={() => void hosts.refetch()}>Could not load hosts: {errorText(hosts.error)}</ErrorState>
      ) : list.length === 0 ? (
        <Empty>No agent has enrolled yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="agents-table">
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Status</th>
                <th scope="col">Agent version</th>
                <th scope="col">Last seen</th>
                <th scope="col">Enrolled</th>
                <th scope="col" className="actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((h) => (
                <tr key={h.id} data-testid="agent-row" data-host={h.hostname}>
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
                    {revoked.has(h.id) ? (
                      <span className="muted">revoked</span>
                    ) : confirm === h.id ? (
                      <>
                        <button
                          type="button"
                          className="btn btn-small btn-danger"
                          onClick={() =>
                            revoke.mutate(h.id, {
                              onSuccess: () => setRevoked((s) => new Set(s).add(h.id)),
                              onSettled: () => setConfirm(null),
                            })
                          }
                        >
                          Confirm revoke
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => setConfirm(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button type="button" className="btn btn-small btn-danger" onClick={() => setConfirm(h.id)} aria-label={`Revoke the agent of ${h.hostname}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
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

"use client";
import { useState, type FormEvent } from "react";
import { ApiError, errorText } from "@/lib/client/api";
import { useApiTokensQuery, useCreateApiTokenMutation, useRevokeApiTokenMutation, type ApiTokenInfo } from "@/lib/client/api-tokens";
import { Empty, ErrorState, Loading, Panel } from "@/app/_components/Panel";
import { CopyButton } from "@/app/_components/CopyButton";
import { Field } from "@/app/_components/Field";
import { dateTime, relativeTime, timeUntil } from "@/app/_components/format";
import { useNow } from "@/app/_components/useNow";

type Role = ApiTokenInfo["role"];
const ROLES_UP_TO: Record<Role, Role[]> = { viewer: ["viewer"], operator: ["viewer", "operator"], admin: ["viewer", "operator", "admin"] };
const EXPIRY_DAYS = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "", label: "Never" },
];

function CreateToken({ role }: { role: Role }) {
  const create = useCreateApiTokenMutation();
  const [name, setName] = useState("");
  const [tokenRole, setTokenRole] = useState<Role>("viewer");
  const [days, setDays] = useState("90");

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name, role: tokenRole, ...(days ? { expiresAt: new Date(Date.now() + Number(days) * 86_400_000).toISOString() } : {}) });
  }

  const created = create.data;
  const nameError = create.error instanceof ApiError ? create.error.issues.find((i) => i.path === "name")?.message : undefined;
  return (
    <Panel title="Create an API token" id="create-token">
      <p className="muted" style={{ margin: "0 0 10px" }}>
        For scripts and Prometheus: send it as <code>Authorization: Bearer &lt;token&gt;</code>. It acts with the role you give it, never above your own.
      </p>
      <form className="form-row" onSubmit={submit} aria-label="Create an API token" style={{ marginBottom: 10 }}>
        <Field label="Name" error={nameError}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} placeholder="prometheus" maxLength={100} style={{ width: 220 }} />}
        </Field>
        <Field label="Role">
          {(p) => (
            <select {...p} value={tokenRole} onChange={(e) => setTokenRole(e.target.value as Role)}>
              {ROLES_UP_TO[role].map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Expires after">
          {(p) => (
            <select {...p} value={days} onChange={(e) => setDays(e.target.value)}>
              {EXPIRY_DAYS.map((d) => (
                <option key={d.label} value={d.value}>
                  {d.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.isError && !nameError ? <p className="form-error">{errorText(create.error)}</p> : null}
      {created ? (
        <div className="token-once" data-testid="new-api-token">
          <strong>Copy the token now: it is shown only once.</strong>
          <div className="install">
            <pre data-testid="api-token-value">{created.token}</pre>
            <CopyButton text={created.token} label="Copy the API token" />
          </div>
          <span className="muted small">
            “{created.name}”, role {created.role}, {created.expiresAt ? `valid until ${dateTime(created.expiresAt)} UTC` : "no expiry"}.
          </span>
        </div>
      ) : null}
    </Panel>
  );
}

function TokenList({ initialTokens, seesEveryone, initialNowMs }: { initialTokens: ApiTokenInfo[]; seesEveryone: boolean; initialNowMs: number }) {
  const tokens = useApiTokensQuery(initialTokens);
  const revoke = useRevokeApiTokenMutation();
  const now = useNow(initialNowMs);
  const [confirm, setConfirm] = useState<string | null>(null);
  const list = tokens.data ?? [];
  return (
    <Panel title={seesEveryone ? "All API tokens" : "Your API tokens"} id="api-tokens">
      {revoke.isError ? <p className="form-error">{errorText(revoke.error)}</p> : null}
      {tokens.isPending ? (
        <Loading />
      ) : tokens.isError && !tokens.data ? (
        <ErrorState onRetry={() => void tokens.refetch()}>Could not load tokens: {errorText(tokens.error)}</ErrorState>
      ) : list.length === 0 ? (
        <Empty>No API token has been created yet.</Empty>
      ) : (
        <div className="table-wrap scroll">
          <table className="table" data-testid="api-tokens-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                {seesEveryone ? <th scope="col">Owner</th> : null}
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col" className="actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => (
                <tr key={t.id} data-testid="api-token-row" data-name={t.name}>
                  <td>{t.name}</td>
                  <td>
                    <span className={`badge role-${t.role}`}>{t.role}</span>
                  </td>
                  {seesEveryone ? <td>{t.userEmail}</td> : null}
                  <td className="nowrap">{dateTime(t.createdAt)}</td>
                  <td className="nowrap">{t.expiresAt ? <span title={`${dateTime(t.expiresAt)} UTC`}>{timeUntil(t.expiresAt, now)}</span> : "never"}</td>
                  <td className="nowrap" title={t.lastUsedAt ? `${dateTime(t.lastUsedAt)} UTC (to the minute)` : undefined}>
                    {relativeTime(t.lastUsedAt, now)}
                  </td>
                  <td>{t.active ? <span className="badge status-up">active</span> : <span className="badge">{t.revokedAt ? "revoked" : "expired"}</span>}</td>
                  <td className="actions">
                    {!t.active ? null : confirm === t.id ? (
                      <>
                        <button type="button" className="btn btn-small btn-danger" onClick={() => revoke.mutate(t.id, { onSettled: () => setConfirm(null) })}>
                          Confirm revoke
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => setConfirm(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button type="button" className="btn btn-small btn-danger" onClick={() => setConfirm(t.id)} aria-label={`Revoke the token ${t.name}`}>
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

export function ApiTokensPage({ role, seesEveryone, initialTokens, initialNowMs }: { role: Role; seesEveryone: boolean; initialTokens: ApiTokenInfo[]; initialNowMs: number }) {
  return (
    <>
      <div className="page-head">
        <h1>API tokens</h1>
        <span className="sub">{seesEveryone ? "tokens for scripts and scrapers; as an admin you see and revoke everyone’s" : "tokens for your scripts and scrapers"}</span>
      </div>
      <CreateToken role={role} />
      <TokenList initialTokens={initialTokens} seesEveryone={seesEveryone} initialNowMs={initialNowMs} />
    </>
  );
}

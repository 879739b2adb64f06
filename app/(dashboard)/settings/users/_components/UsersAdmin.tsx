"use client";
import { useState, type FormEvent } from "react";
import { ApiError, errorText } from "@/lib/client/api";
import { useCreateUserMutation, useUpdateUserMutation, useUsersQuery } from "@/lib/client/users";
import type { Role, User } from "@/lib/client/types";
import { Panel } from "@/app/_components/Panel";
import { MutationError, QueryBody } from "@/app/_components/QueryPanel";
import { actionsColumn, DataTable } from "@/app/_components/DataTable";
import { dateTime } from "@/app/_components/format";
import { Field, SelectField } from "@/app/_components/Field";
import { randomPassword } from "./password";

const ROLES: Role[] = ["viewer", "operator", "admin"];
const ROLE_OPTIONS = ROLES.map((r) => [r, r] as const);
const ROLE_HELP: Record<Role, string> = { viewer: "reads everything", operator: "also edits alert rules and acknowledges", admin: "also manages users, agents and hosts" };

function InviteForm({ onDone }: { onDone: (u: User, password: string) => void }) {
  const create = useCreateUserMutation();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [password, setPassword] = useState("");
  const issues = create.error instanceof ApiError ? create.error.issues : [];
  const issue = (p: string) => issues.find((i) => i.path === p)?.message;

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      { email, password, role, ...(name.trim() ? { name: name.trim() } : {}) },
      {
        onSuccess: (u) => {
          onDone(u, password);
          setEmail("");
          setName("");
          setPassword("");
          setRole("viewer");
          create.reset();
        },
      },
    );
  }

  return (
    <form className="form user-form" onSubmit={submit} noValidate aria-label="Add a user" data-testid="invite-form">
      <h3>Add a user</h3>
      <MutationError mutation={create} />
      <div className="form-row">
        <Field label="Email" error={issue("email")}>
          {(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />}
        </Field>
        <Field label="Name (optional)" error={issue("name")}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />}
        </Field>
        <SelectField label="Role" className="" value={role} options={ROLE_OPTIONS} onChange={setRole} />
        <Field label="Initial password" error={issue("password")}>
          {(p) => <input {...p} type="text" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" className="mono" />}
        </Field>
        <button type="button" className="btn" onClick={() => setPassword(randomPassword())}>
          Generate
        </button>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Add user
        </button>
      </div>
      <p className="muted small" style={{ margin: 0 }}>
        {role}: {ROLE_HELP[role]}. Share the password through a safe channel; they sign in with it at /login. At least 10 characters.
      </p>
    </form>
  );
}

function ResetPassword({ user, onDone }: { user: User; onDone: (reset: boolean) => void }) {
  const update = useUpdateUserMutation();
  const [password, setPassword] = useState(() => randomPassword());
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({ id: user.id, password }, { onSuccess: () => onDone(true) });
      }}
      aria-label={`Reset the password of ${user.email}`}
    >
      <label className="field field-inline">
        <span className="sr-only">New password for {user.email}</span>
        <input className="mono" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
      </label>
      <button type="submit" className="btn btn-small btn-primary" disabled={update.isPending}>
        Set
      </button>
      <button type="button" className="btn btn-small" onClick={() => onDone(false)}>
        Cancel
      </button>
      {update.isError ? <span className="field-error">{errorText(update.error)}</span> : null}
    </form>
  );
}

const USER_COLUMNS = ["Email", "Name", "Role", "Status", "Created", actionsColumn];

export function UsersAdmin({ initialUsers, selfId }: { initialUsers: User[]; selfId: string }) {
  const users = useUsersQuery(initialUsers);
  const update = useUpdateUserMutation();
  const [resetting, setResetting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = users.data ?? [];
  const row = (u: User) => (
    <UserRow
      user={u}
      self={u.id === selfId}
      updating={update.isPending}
      update={(change) => update.mutate({ id: u.id, ...change })}
      resetting={resetting === u.id}
      onReset={(open) => setResetting(open ? u.id : null)}
      onResetDone={() => setNotice(`The password of ${u.email} was reset.`)}
    />
  );

  return (
    <>
      <div className="page-head">
        <h1>Users</h1>
        <span className="sub">{list.length} accounts · roles take effect on the user’s next request</span>
      </div>
      <Panel title="Accounts" id="users">
        <InviteForm onDone={(u) => setNotice(`${u.email} was added as ${u.role}.`)} />
        {notice ? (
          <p className="form-ok" role="status" data-testid="users-notice">
            {notice}
          </p>
        ) : null}
        <MutationError mutation={update} />
        <div className="flush">
          <QueryBody query={users} what="users" empty="No users.">
            {(list) => <DataTable caption="User accounts" testId="users-table" columns={USER_COLUMNS} rows={list} row={row} />}
          </QueryBody>
        </div>
      </Panel>
    </>
  );
}

/** One account: its role (changed in place), whether it may sign in, and its password reset. */
function UserRow({
  user: u,
  self,
  updating,
  update,
  resetting,
  onReset,
  onResetDone,
}: {
  user: User;
  self: boolean;
  updating: boolean;
  update: (change: { role?: Role; disabled?: boolean }) => void;
  resetting: boolean;
  onReset: (open: boolean) => void;
  onResetDone: () => void;
}) {
  return (
    <tr data-testid="user-row" data-email={u.email}>
      <td>
        {u.email}
        {self ? <span className="muted small"> (you)</span> : null}
      </td>
      <td>{u.name ?? <span className="muted">—</span>}</td>
      <td>
        <label className="field field-inline">
          <span className="sr-only">Role of {u.email}</span>
          <select value={u.role} disabled={updating} onChange={(e) => update({ role: ROLES[e.target.selectedIndex] })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
      </td>
      <td>{u.disabled ? <span className="badge status-down">disabled</span> : <span className="badge status-up">active</span>}</td>
      <td className="nowrap muted">{dateTime(u.createdAt)}</td>
      <td className="actions">
        {resetting ? (
          <ResetPassword
            user={u}
            onDone={(reset) => {
              onReset(false);
              if (reset) onResetDone();
            }}
          />
        ) : (
          <>
            <button type="button" className="btn btn-small" onClick={() => onReset(true)}>
              Reset password
            </button>
            {!self ? (
              <button type="button" className={`btn btn-small ${u.disabled ? "" : "btn-danger"}`} disabled={updating} onClick={() => update({ disabled: !u.disabled })}>
                {u.disabled ? "Enable" : "Disable"}
              </button>
            ) : null}
          </>
        )}
      </td>
    </tr>
  );
}

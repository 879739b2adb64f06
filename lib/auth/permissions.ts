/** The contract's permission table, as code. Routes, pages and services all ask `can()`. */
import type { Role } from "@/lib/protocol";

export const PERMISSIONS = {
  /** hosts, metrics, snapshots, diffs, alert rules and events */
  read: ["viewer", "operator", "admin"],
  /** create/update/delete alert rules, acknowledge and silence events */
  "alerts:write": ["operator", "admin"],
  /** set and remove host labels (the agent's own labels arrive with its telemetry) */
  "hosts:label": ["operator", "admin"],
  /** enrollment tokens, delete hosts, revoke agents, approve or reject re-enrollments, notification channels */
  "fleet:admin": ["admin"],
  /** list, create, change role, disable, delete users */
  "users:admin": ["admin"],
  /** create, list and revoke one's own API tokens (admins: everyone's, with users:admin) */
  "tokens:own": ["viewer", "operator", "admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** `apiTokenId`: the request came with an API token, acting with `role` (at most its user's). */
export type UserActor = { kind: "user"; userId: string; email: string; role: Role; apiTokenId?: string };
export type AgentActor = { kind: "agent"; hostId: string };
export type SystemActor = { kind: "system" };
export type Actor = UserActor | AgentActor | SystemActor;

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === "system") return true;
  if (actor.kind === "agent") return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(actor.role);
}

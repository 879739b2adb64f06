/** The first line of every alert service verb: the actor may do this, and who to record. */
import { can, type Actor, type Permission } from "@/lib/auth/permissions";
import { forbidden } from "@/lib/errors";

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden();
}

/** The user to record as author; the system (timer, scripts) is recorded as nobody. */
export const actorUserId = (actor: Actor): string | null => (actor.kind === "user" ? actor.userId : null);

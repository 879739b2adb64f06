/**
 * The pure rules of API tokens: which role a token acts with, which roles a creator may give
 * it, and when its last use is worth writing down.
 */
import type { Role } from "@/lib/protocol/constants";

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const roleAtMost = (role: Role, ceiling: Role) => RANK[role] <= RANK[ceiling];

/**
 * A token acts with its own role, but never above its user's role now: demoting the user
 * demotes the token on the next request, and promoting them does not promote it.
 */
export const effectiveRole = (tokenRole: Role, userRole: Role): Role => (RANK[tokenRole] <= RANK[userRole] ? tokenRole : userRole);

/** Last use is written at most this often per token, so a busy scraper costs no write per request. */
export const LAST_USE_RESOLUTION_MS = 60_000;

export function lastUseIsStale(lastUsedAt: Date | null, nowMs: number): boolean {
  return lastUsedAt === null || nowMs - lastUsedAt.getTime() >= LAST_USE_RESOLUTION_MS;
}

/** Longest lifetime a token may be given; a token without expiry is allowed (and listed as such). */
export const MAX_TOKEN_LIFETIME_DAYS = 3650;

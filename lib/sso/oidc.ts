/**
 * Single sign-on rules, as plain functions: which role a new user gets from the identity
 * provider's claims, whether the claims prove an email address, and how the settings read.
 * The next-auth provider (app/api/auth/[...nextauth]/auth-options.ts) and the sign-in service (lib/services/sso.ts) use them.
 */
import { ROLES, type Role } from "@/lib/protocol/constants";

export type OidcSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button says "Sign in with <displayName>". */
  displayName: string;
  defaultRole: Role;
  /** The claim that lists the user's groups (e.g. `groups`), when roles are mapped from it. */
  roleClaim: string | undefined;
  /** Group name -> role. */
  roleMap: Record<string, Role>;
};

/** "admins:admin,ops:operator" -> {admins: "admin", ops: "operator"}; entries it cannot read are listed. */
export function parseRoleMap(value: string): { map: Record<string, Role>; invalid: string[] } {
  const map: Record<string, Role> = {};
  const invalid: string[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const at = entry.lastIndexOf(":");
    const group = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim();
    if (at <= 0 || !group || !(ROLES as readonly string[]).includes(role)) invalid.push(entry);
    else map[group] = role as Role;
  }
  return { map, invalid };
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** At most this many group names are looked at: a token's claim is input like any other. */
export const MAX_GROUPS = 1000;

/**
 * The role of a user created at first sign-in: the highest role any of their groups maps to,
 * else the default. A claim may be a list of names or one name (some providers send a string).
 */
export function roleFromClaims(claims: Record<string, unknown>, settings: Pick<OidcSettings, "roleClaim" | "roleMap" | "defaultRole">): Role {
  if (!settings.roleClaim) return settings.defaultRole;
  const value = claims[settings.roleClaim];
  const groups = (Array.isArray(value) ? value.slice(0, MAX_GROUPS) : [value]).filter((g): g is string => typeof g === "string");
  let best: Role | null = null;
  for (const group of groups) {
    const role = Object.hasOwn(settings.roleMap, group) ? settings.roleMap[group]! : null;
    if (role && (best === null || RANK[role] > RANK[best])) best = role;
  }
  return best ?? settings.defaultRole;
}

/**
 * The address the provider vouches for, lower-cased, or why there is none. Only an explicit
 * `email_verified: true` counts (some providers send the string "true"): an unverified
 * address could be anyone's, and matching it would hand over that user's account.
 */
export function verifiedEmail(claims: Record<string, unknown>): { email: string } | { refused: "no-email" | "unverified" } {
  const email = claims.email;
  if (typeof email !== "string" || email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) return { refused: "no-email" };
  const verified = claims.email_verified;
  if (verified !== true && verified !== "true") return { refused: "unverified" };
  return { email: email.toLowerCase() };
}

/** "https://login.example.com/realms/ops" -> "login.example.com" when no IW_OIDC_NAME is set. */
export function providerDisplayName(issuer: string, name: string | undefined): string {
  if (name?.trim()) return name.trim();
  try {
    return new URL(issuer).host;
  } catch {
    return "single sign-on";
  }
}

/** The sign-in refusals the login page explains (passed as `?error=`). */
export const SSO_ERRORS = {
  OidcUnverified: "Your identity provider did not confirm that email address, so it cannot be used to sign in.",
  OidcNoEmail: "Your identity provider did not send an email address.",
  OidcDisabled: "This account is disabled. Ask an administrator.",
  PasswordLoginOff: "Password sign-in is turned off on this server. Use single sign-on.",
} as const;
export type SsoError = keyof typeof SSO_ERRORS;

/**
 * Single sign-on: the identity provider vouches for an email address; that address names a
 * user here. A known user signs in as themselves (their role is this server's, not the
 * provider's); an unknown one is created with the role their groups map to (or the default).
 * A disabled user is refused, as with a password.
 */
import { eq } from "drizzle-orm";
import type { AppContext } from "@/lib/context";
import { users } from "@/lib/db/schema";
import type { Role } from "@/lib/protocol/constants";
import { roleFromClaims, verifiedEmail, type OidcSettings, type SsoError } from "@/lib/sso/oidc";
import { NO_PASSWORD } from "@/lib/auth/password";

export type SsoUser = { id: string; email: string; name: string | null; role: Role };
export type SsoOutcome = { kind: "ok"; user: SsoUser; created: boolean } | { kind: "refused"; error: SsoError };

const columns = { id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled };

export async function signInWithOidc(ctx: Pick<AppContext, "db">, settings: OidcSettings, claims: Record<string, unknown>): Promise<SsoOutcome> {
  const proof = verifiedEmail(claims);
  if ("refused" in proof) return { kind: "refused", error: proof.refused === "unverified" ? "OidcUnverified" : "OidcNoEmail" };
  const judge = (u: SsoUser & { disabled: boolean }, created: boolean): SsoOutcome =>
    u.disabled ? { kind: "refused", error: "OidcDisabled" } : { kind: "ok", user: { id: u.id, email: u.email, name: u.name, role: u.role }, created };

  const [existing] = await ctx.db.select(columns).from(users).where(eq(users.email, proof.email));
  if (existing) return judge(existing, false);
  const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 200) : null;
  const [created] = await ctx.db
    .insert(users)
    .values({ email: proof.email, name, role: roleFromClaims(claims, settings), passwordHash: NO_PASSWORD })
    .onConflictDoNothing({ target: users.email })
    .returning(columns);
  if (created) return judge(created, true);
  // Created by a concurrent first sign-in (or an admin) between the read and the insert.
  const [raced] = await ctx.db.select(columns).from(users).where(eq(users.email, proof.email));
  return raced ? judge(raced, false) : { kind: "refused", error: "OidcNoEmail" };
}

/**
 * One guard for every route: a user (bearer access token or dashboard session) with a
 * permission, or an agent (its own bearer token). The two kinds of credential never cross.
 * The user row is read on every request so a disabled user or a changed role takes effect
 * on the next one.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { AppContext } from "@/lib/context";
import { apiTokens, hosts, users } from "@/lib/db/schema";
import { forbidden, unauthorized } from "@/lib/errors";
import { can, type AgentActor, type Permission, type UserActor } from "./permissions";
import { TOKEN_PREFIX, hashToken, looksLikeJwt, verifyAccessToken } from "./tokens";
import { requestSession } from "./session";
import { effectiveRole, lastUseIsStale } from "./api-tokens";

export function bearerToken(req: Request): string | null {
  const header = req.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

/** The user behind a credential issued at `issuedAtS`, if still enabled and not reset since. */
export async function loadUserActor(ctx: AppContext, userId: string, issuedAtS: number): Promise<UserActor | null> {
  const [user] = await ctx.db
    .select({ id: users.id, email: users.email, role: users.role, disabled: users.disabled, validAfter: users.sessionsValidAfter })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || user.disabled) return null;
  if (user.validAfter && issuedAtS * 1000 < user.validAfter.getTime()) return null;
  return { kind: "user", userId: user.id, email: user.email, role: user.role };
}

/**
 * An API token: not revoked, not expired, its user enabled; it acts with the lower of its role
 * and the user's. Its last use is written when the stored one is a minute old or more, in the
 * same guarded statement, so the write rate per token is bounded across instances too.
 */
export async function authenticateApiToken(ctx: AppContext, token: string, nowMs = Date.now()): Promise<UserActor | null> {
  const [row] = await ctx.db
    .select({ id: apiTokens.id, role: apiTokens.role, lastUsedAt: apiTokens.lastUsedAt, userId: users.id, email: users.email, userRole: users.role })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, hashToken(token)),
        isNull(apiTokens.revokedAt),
        sql`(${apiTokens.expiresAt} is null or ${apiTokens.expiresAt} > now())`,
        eq(users.disabled, false),
      ),
    );
  if (!row) return null;
  if (lastUseIsStale(row.lastUsedAt, nowMs)) {
    await ctx.db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiTokens.id, row.id), sql`(${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < now() - interval '1 minute')`));
  }
  return { kind: "user", userId: row.userId, email: row.email, role: effectiveRole(row.role, row.userRole), apiTokenId: row.id };
}

export async function authenticateUser(ctx: AppContext, req: Request): Promise<UserActor | null> {
  const token = bearerToken(req);
  if (token) {
    if (token.startsWith(TOKEN_PREFIX.api)) return authenticateApiToken(ctx, token);
    if (!looksLikeJwt(token)) return null;
    const claims = await verifyAccessToken(token, ctx.secret);
    return claims ? loadUserActor(ctx, claims.sub, claims.iat) : null;
  }
  const session = await requestSession(ctx, req);
  return session ? loadUserActor(ctx, session.userId, session.signedInAtS) : null;
}

export async function requireUser(ctx: AppContext, req: Request, permission: Permission): Promise<UserActor> {
  const actor = await authenticateUser(ctx, req);
  if (!actor) throw unauthorized();
  if (!can(actor, permission)) throw forbidden();
  return actor;
}

export async function requireAgent(ctx: AppContext, req: Request): Promise<AgentActor> {
  const token = bearerToken(req);
  if (!token?.startsWith(TOKEN_PREFIX.agent)) throw unauthorized("an agent token is required");
  const tokenHash = hashToken(token);
  const cached = ctx.agentTokens.get(tokenHash);
  if (cached) return { kind: "agent", hostId: cached };
  const [host] = await ctx.db.select({ id: hosts.id }).from(hosts).where(eq(hosts.agentTokenHash, tokenHash));
  if (!host) throw unauthorized("unknown or revoked agent token");
  ctx.agentTokens.set(tokenHash, host.id);
  return { kind: "agent", hostId: host.id };
}

/** A route for machines (the Prometheus scrape): only an API token will do. */
export async function requireApiToken(ctx: AppContext, req: Request, permission: Permission): Promise<UserActor> {
  const token = bearerToken(req);
  if (!token?.startsWith(TOKEN_PREFIX.api)) throw unauthorized("an API token is required (Authorization: Bearer iwk_...)");
  const actor = await authenticateApiToken(ctx, token);
  if (!actor) throw unauthorized("unknown, revoked or expired API token");
  if (!can(actor, permission)) throw forbidden();
  return actor;
}

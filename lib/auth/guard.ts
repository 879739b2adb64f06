/**
 * One guard for every route: a user (bearer access token or dashboard session) with a
 * permission, or an agent (its own bearer token). The two kinds of credential never cross.
 * The user row is read on every request so a disabled user or a changed role takes effect
 * on the next one.
 */
import { eq } from "drizzle-orm";
import type { AppContext } from "@/lib/context";
import { hosts, users } from "@/lib/db/schema";
import { forbidden, unauthorized } from "@/lib/errors";
import { can, type AgentActor, type Permission, type UserActor } from "./permissions";
import { TOKEN_PREFIX, hashToken, looksLikeJwt, verifyAccessToken } from "./tokens";
import { requestSession } from "./session";

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

export async function authenticateUser(ctx: AppContext, req: Request): Promise<UserActor | null> {
  const token = bearerToken(req);
  if (token) {
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

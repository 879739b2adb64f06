/**
 * Sign-in and API token lifecycle: password check with rate limiting, access + refresh token
 * pairs, refresh rotation with reuse detection (a rotated token presented again revokes its
 * whole family), logout.
 */
import { randomUUID } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import { authTokens, users } from "@/lib/db/schema";
import { ROLES, type Role } from "@/lib/protocol/constants";
import { NO_PASSWORD, getDummyHash, verifyPassword } from "@/lib/auth/password";
import { ACCESS_TOKEN_TTL_S, REFRESH_TOKEN_TTL_S, hashToken, newOpaqueToken, signAccessToken } from "@/lib/auth/tokens";
import { purgeLoginThrottle } from "@/lib/auth/rate-limit";
import { forbidden, rateLimited, unauthorized } from "@/lib/errors";

type AuthUser = { id: string; email: string; name: string | null; role: Role };

export type PasswordOutcome = { kind: "ok"; user: AuthUser } | { kind: "invalid" } | { kind: "limited"; retryAfterS: number };

export async function authenticatePassword(ctx: AppContext, input: { email: string; password: string; address: string }): Promise<PasswordOutcome> {
  const email = input.email.trim().toLowerCase();
  const [user] = await ctx.db.select().from(users).where(eq(users.email, email));
  const known = user ? await ctx.loginLimiter.isKnownAddress(user.id, input.address) : false;
  const wait = await ctx.loginLimiter.reserve(email, input.address, known);
  if (wait > 0) return { kind: "limited", retryAfterS: wait };
  // Always verify against some hash so an unknown email (or a user without a password) costs the same as a wrong password.
  const usable = user && user.passwordHash !== NO_PASSWORD ? user.passwordHash : undefined;
  const ok = (await verifyPassword(input.password, usable ?? (await getDummyHash()))) && usable !== undefined;
  if (!user || !ok || user.disabled) return { kind: "invalid" };
  await ctx.loginLimiter.succeeded(email, input.address, user.id);
  return { kind: "ok", user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

export const TokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  user: z.object({ id: z.string(), email: z.string(), role: z.enum(ROLES) }),
});
export type TokenPair = z.infer<typeof TokenPairSchema>;

async function issuePair(ctx: AppContext, user: AuthUser, familyId: string): Promise<TokenPair> {
  const refreshToken = newOpaqueToken("refresh");
  await ctx.db.insert(authTokens).values({
    userId: user.id,
    familyId,
    tokenHash: hashToken(refreshToken),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_S * 1000),
  });
  return {
    accessToken: await signAccessToken(user, ctx.secret),
    refreshToken,
    expiresIn: ACCESS_TOKEN_TTL_S,
    user: { id: user.id, email: user.email, role: user.role },
  };
}

export const PASSWORD_LOGIN_OFF = "password sign-in is turned off on this server (IW_PASSWORD_LOGIN=false): use single sign-on, or an API token for scripts";

export async function login(ctx: AppContext, input: { email: string; password: string; address: string }): Promise<TokenPair> {
  if (!ctx.env.passwordLogin) throw forbidden(PASSWORD_LOGIN_OFF);
  const outcome = await authenticatePassword(ctx, input);
  if (outcome.kind === "limited") {
    throw rateLimited("too many failed sign-ins, try again later", outcome.retryAfterS);
  }
  if (outcome.kind === "invalid") throw unauthorized("invalid email or password");
  return issuePair(ctx, outcome.user, randomUUID());
}

export async function refresh(ctx: AppContext, refreshToken: string): Promise<TokenPair> {
  const now = new Date();
  // Claim the token atomically: of two concurrent refreshes with one token, only one wins.
  const [claimed] = await ctx.db
    .update(authTokens)
    .set({ rotatedAt: now })
    .where(and(eq(authTokens.tokenHash, hashToken(refreshToken)), isNull(authTokens.rotatedAt), isNull(authTokens.revokedAt), sql`${authTokens.expiresAt} > now()`))
    .returning({ userId: authTokens.userId, familyId: authTokens.familyId });
  if (!claimed) {
    const [known] = await ctx.db.select({ familyId: authTokens.familyId, rotatedAt: authTokens.rotatedAt }).from(authTokens).where(eq(authTokens.tokenHash, hashToken(refreshToken)));
    if (known?.rotatedAt) {
      // Reuse of a rotated token: someone holds a stolen copy. End the whole login.
      await revokeFamily(ctx, known.familyId);
    }
    throw unauthorized("invalid refresh token");
  }
  const [user] = await ctx.db.select().from(users).where(eq(users.id, claimed.userId));
  if (!user || user.disabled) {
    await revokeFamily(ctx, claimed.familyId);
    throw unauthorized("invalid refresh token");
  }
  return issuePair(ctx, { id: user.id, email: user.email, name: user.name, role: user.role }, claimed.familyId);
}

export async function logout(ctx: AppContext, refreshToken: string): Promise<void> {
  const [row] = await ctx.db.select({ familyId: authTokens.familyId }).from(authTokens).where(eq(authTokens.tokenHash, hashToken(refreshToken)));
  if (row) await revokeFamily(ctx, row.familyId);
}

export async function revokeFamily(ctx: AppContext, familyId: string) {
  await ctx.db.update(authTokens).set({ revokedAt: new Date() }).where(and(eq(authTokens.familyId, familyId), isNull(authTokens.revokedAt)));
}

export async function revokeUserTokens(ctx: Pick<AppContext, "db">, userId: string) {
  await ctx.db.update(authTokens).set({ revokedAt: new Date() }).where(and(eq(authTokens.userId, userId), isNull(authTokens.revokedAt)));
}

/** Rows past their expiry, or revoked/rotated a day ago (kept that long for reuse detection). */
export async function purgeAuthTokens(ctx: Pick<AppContext, "db">) {
  const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
  await ctx.db.delete(authTokens).where(or(lt(authTokens.expiresAt, new Date()), lt(authTokens.revokedAt, dayAgo)));
  await purgeLoginThrottle(ctx.db);
}

export const LoginSchema = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) });
export const RefreshSchema = z.object({ refreshToken: z.string().min(1).max(512) });

/**
 * API tokens: a user makes named tokens for scripts and scrapers with a role no higher than
 * their own, sees them listed with their last use, and revokes them. Admins see and revoke
 * everyone's. The token itself is returned once, by `createApiToken`, and never stored.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import { apiTokens, users } from "@/lib/db/schema";
import { ROLES } from "@/lib/protocol/constants";
import { isoString } from "@/lib/wire";
import { can, type UserActor } from "@/lib/auth/permissions";
import { MAX_TOKEN_LIFETIME_DAYS, roleAtMost } from "@/lib/auth/api-tokens";
import { hashToken, newOpaqueToken } from "@/lib/auth/tokens";
import { badRequest, forbidden, notFound } from "@/lib/errors";

export const CreateApiTokenSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100),
  role: z.enum(ROLES),
  expiresAt: z.iso.datetime({ offset: true, message: "must be an ISO 8601 time" }).nullish(),
});

/** POST /api/tokens: the token itself is in this answer and nowhere else, ever. */
export const CreatedApiTokenSchema = z.object({
  id: z.string(),
  token: z.string().describe("iwk_…, shown once"),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: isoString,
  expiresAt: isoString.nullable(),
});

/** Each user's live tokens; more is a script gone wrong, not a person. */
export const MAX_TOKENS_PER_USER = 100;

export async function createApiToken(ctx: Pick<AppContext, "db">, actor: UserActor, input: z.output<typeof CreateApiTokenSchema>, nowMs = Date.now()) {
  if (!roleAtMost(input.role, actor.role)) throw forbidden(`a token's role can be at most your own (${actor.role})`);
  let expiresAt: Date | null = null;
  if (input.expiresAt) {
    expiresAt = new Date(input.expiresAt);
    if (expiresAt.getTime() <= nowMs) throw badRequest("invalid request", [{ path: "expiresAt", message: "must be in the future" }]);
    if (expiresAt.getTime() > nowMs + MAX_TOKEN_LIFETIME_DAYS * 86_400_000) throw badRequest("invalid request", [{ path: "expiresAt", message: `must be within ${MAX_TOKEN_LIFETIME_DAYS} days` }]);
  }
  const token = newOpaqueToken("api");
  const row = await ctx.db.transaction(async (tx) => {
    // The user row is locked so two concurrent creations cannot both pass the count.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.userId)).for("update");
    const [live] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt), sql`(${apiTokens.expiresAt} is null or ${apiTokens.expiresAt} > now())`));
    if (Number(live?.n ?? 0) >= MAX_TOKENS_PER_USER) throw badRequest(`you already have ${MAX_TOKENS_PER_USER} live API tokens; revoke some first`);
    const [created] = await tx
      .insert(apiTokens)
      .values({ userId: actor.userId, name: input.name, role: input.role, tokenHash: hashToken(token), expiresAt })
      .returning({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, createdAt: apiTokens.createdAt, expiresAt: apiTokens.expiresAt });
    return created!;
  });
  return { id: row.id, token, name: row.name, role: row.role, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt?.toISOString() ?? null };
}

/** Someone else's token is a 404 to a non-admin: its existence is not theirs to learn. */
export async function revokeApiToken(ctx: Pick<AppContext, "db">, actor: UserActor, id: string) {
  const owner = can(actor, "users:admin") ? undefined : eq(apiTokens.userId, actor.userId);
  const [row] = await ctx.db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt), owner))
    .returning({ id: apiTokens.id });
  if (row) return;
  const [existing] = await ctx.db.select({ id: apiTokens.id }).from(apiTokens).where(and(eq(apiTokens.id, id), owner));
  if (!existing) throw notFound("API token");
  // Already revoked: revoking again changes nothing and is not an error.
}

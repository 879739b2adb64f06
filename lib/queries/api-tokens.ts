/** API token metadata for the settings page and GET /api/tokens (the hash is never read out). */
import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { apiTokens, users } from "@/lib/db/schema";
import { ROLES } from "@/lib/protocol/constants";
import { wireDate } from "@/lib/wire";

export const ApiTokenInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  userId: z.string(),
  userEmail: z.string(),
  createdAt: wireDate,
  expiresAt: wireDate.nullable(),
  lastUsedAt: wireDate.nullable(),
  revokedAt: wireDate.nullable(),
  active: z.boolean(),
});
export const ApiTokenListSchema = z.object({ tokens: z.array(ApiTokenInfoSchema) });

/** `all`: everyone's tokens (the caller checked the actor may see them); otherwise `userId`'s own. */
export async function listApiTokens(db: Db, scope: { userId: string; all: boolean }) {
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      userId: apiTokens.userId,
      userEmail: users.email,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      active: sql<boolean>`(${apiTokens.revokedAt} is null and (${apiTokens.expiresAt} is null or ${apiTokens.expiresAt} > now()))`,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(scope.all ? undefined : eq(apiTokens.userId, scope.userId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(500);
  return rows.map((r) => ({ ...r, active: Boolean(r.active) }));
}

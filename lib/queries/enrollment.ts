import { desc, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { wireDate } from "@/lib/wire";
import { enrollmentTokens } from "@/lib/db/schema";

export const EnrollmentTokenListSchema = z.object({
  tokens: z.array(
    z.object({ id: z.string(), createdAt: wireDate, expiresAt: wireDate, maxUses: z.number().int(), uses: z.number().int(), revokedAt: wireDate.nullable(), active: z.boolean() }),
  ),
});

/** Tokens themselves are never stored; this lists their metadata and whether they still work. */
export function listEnrollmentTokens(db: Db) {
  return db
    .select({
      id: enrollmentTokens.id,
      createdAt: enrollmentTokens.createdAt,
      expiresAt: enrollmentTokens.expiresAt,
      maxUses: enrollmentTokens.maxUses,
      uses: enrollmentTokens.uses,
      revokedAt: enrollmentTokens.revokedAt,
      active: sql<boolean>`${enrollmentTokens.revokedAt} is null and ${enrollmentTokens.expiresAt} > now() and ${enrollmentTokens.uses} < ${enrollmentTokens.maxUses}`,
    })
    .from(enrollmentTokens)
    .orderBy(desc(enrollmentTokens.createdAt))
    .limit(200);
}

import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { wireDate } from "@/lib/wire";
import { enrollmentTokens, pendingReenrollments } from "@/lib/db/schema";

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

export const ReenrollmentRequestSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  sourceAddress: z.string(),
  status: z.enum(["pending", "approved"]),
  createdAt: wireDate,
  decidedAt: wireDate.nullable(),
});
export const ReenrollmentListSchema = z.object({ reenrollments: z.array(ReenrollmentRequestSchema) });

/** What the host page shows an admin: requests waiting for a decision, and approved ones not yet collected. */
export async function listReenrollments(db: Db, hostId: string) {
  const rows = await db
    .select({
      id: pendingReenrollments.id,
      hostname: pendingReenrollments.hostname,
      sourceAddress: pendingReenrollments.sourceAddress,
      status: pendingReenrollments.status,
      createdAt: pendingReenrollments.createdAt,
      decidedAt: pendingReenrollments.decidedAt,
    })
    .from(pendingReenrollments)
    .where(and(eq(pendingReenrollments.hostId, hostId), inArray(pendingReenrollments.status, ["pending", "approved"])))
    .orderBy(desc(pendingReenrollments.createdAt));
  // The filter above leaves only these two.
  return rows.map((r) => ({ ...r, status: r.status as "pending" | "approved" }));
}

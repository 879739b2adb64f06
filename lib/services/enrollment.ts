/** Enrollment: admins mint short-lived tokens; an agent trades one for its own per-host token. */
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import { enrollmentTokens, hosts } from "@/lib/db/schema";
import type { EnrollRequest, EnrollResponse } from "@/lib/protocol";
import type { SystemActor, UserActor } from "@/lib/auth/permissions";
import { hashToken, newOpaqueToken } from "@/lib/auth/tokens";
import { notFound, unauthorized } from "@/lib/http/errors";

export const CreateEnrollmentTokenSchema = z.object({
  ttlHours: z.number().positive().max(24 * 365).default(24),
  maxUses: z.number().int().min(1).max(100_000).default(1),
});

export async function createEnrollmentToken(ctx: AppContext, actor: UserActor | SystemActor, input: z.output<typeof CreateEnrollmentTokenSchema>) {
  const token = newOpaqueToken("enrollment");
  const [row] = await ctx.db
    .insert(enrollmentTokens)
    .values({ tokenHash: hashToken(token), createdBy: actor.kind === "user" ? actor.userId : null, maxUses: input.maxUses, expiresAt: new Date(Date.now() + input.ttlHours * 3_600_000) })
    .returning({ id: enrollmentTokens.id, expiresAt: enrollmentTokens.expiresAt, maxUses: enrollmentTokens.maxUses });
  return { id: row!.id, token, expiresAt: row!.expiresAt.toISOString(), maxUses: row!.maxUses };
}

export async function revokeEnrollmentToken(ctx: AppContext, id: string) {
  const [row] = await ctx.db.update(enrollmentTokens).set({ revokedAt: new Date() }).where(and(eq(enrollmentTokens.id, id), isNull(enrollmentTokens.revokedAt))).returning({ id: enrollmentTokens.id });
  if (!row) throw notFound("enrollment token");
}

/**
 * One transaction: consume a use of the enrollment token, then create the host or, for a
 * machine already known, keep its id and replace its agent token (the old one stops working).
 */
export async function enrollAgent(ctx: AppContext, input: EnrollRequest): Promise<EnrollResponse> {
  const agentToken = newOpaqueToken("agent");
  const enrolled = await ctx.db.transaction(async (tx) => {
    const [used] = await tx
      .update(enrollmentTokens)
      .set({ uses: sql`${enrollmentTokens.uses} + 1` })
      .where(
        and(
          eq(enrollmentTokens.tokenHash, hashToken(input.token)),
          isNull(enrollmentTokens.revokedAt),
          sql`${enrollmentTokens.expiresAt} > now()`,
          lt(enrollmentTokens.uses, enrollmentTokens.maxUses),
        ),
      )
      .returning({ id: enrollmentTokens.id });
    if (!used) throw unauthorized("unknown, expired or used-up enrollment token");
    const [host] = await tx
      .insert(hosts)
      .values({ machineId: input.machineId, hostname: input.hostname, agentTokenHash: hashToken(agentToken) })
      .onConflictDoUpdate({
        target: hosts.machineId,
        set: { hostname: input.hostname, agentTokenHash: hashToken(agentToken), enrolledAt: sql`now()` },
      })
      .returning({ id: hosts.id });
    return { hostId: host!.id, agentToken };
  });
  // A machine enrolled again: its previous token stops working here at once.
  ctx.agentTokens.forgetHost(enrolled.hostId);
  return enrolled;
}

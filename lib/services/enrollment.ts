/** Enrollment: admins mint short-lived tokens; an agent trades one for its own per-host token. */
import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import { REENROLLMENT_STATUSES, enrollmentTokens, hosts, pendingReenrollments } from "@/lib/db/schema";
import type { EnrollRequest, EnrollResponse } from "@/lib/protocol";
import type { SystemActor, UserActor } from "@/lib/auth/permissions";
import { hashToken, newOpaqueToken } from "@/lib/auth/tokens";
import { isoString } from "@/lib/wire";
import { conflict, forbidden, notFound, rateLimited, unauthorized } from "@/lib/errors";

export const CreateEnrollmentTokenSchema = z.object({
  ttlHours: z.number().positive().max(24 * 365).default(24),
  maxUses: z.number().int().min(1).max(100_000).default(1),
});

/** The token itself is in this answer only: it is stored as a hash. */
export const CreatedEnrollmentTokenSchema = z.object({ id: z.string(), token: z.string(), expiresAt: isoString, maxUses: z.number().int() });

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

/** What an enrollment attempt ends in: a token, or a re-enrollment waiting for an admin. */
export type EnrollOutcome = ({ kind: "enrolled" } & EnrollResponse) | { kind: "pending"; pendingId: string };

/** Requests waiting (or approved and not yet collected) per host; more is a flood, not an agent. */
export const MAX_OPEN_REENROLLMENTS = 20;

type Tx = Parameters<Parameters<AppContext["db"]["transaction"]>[0]>[0];

/**
 * One transaction. A new machine gets a host and a token. A machine already known keeps its
 * `hostId` and gets a new token (the old one stops working) only with proof: its current agent
 * token, or an admin's approval of the pending request a first attempt without proof created
 * (until then the outcome is `pending`, the route's 409). Each attempt that is not the
 * collection of an approved request consumes a use of the enrollment token.
 */
export async function enrollAgent(ctx: AppContext, input: EnrollRequest, source: { address: string }): Promise<EnrollOutcome> {
  const agentToken = newOpaqueToken("agent");
  const tokenHash = hashToken(input.token);
  const outcome = await ctx.db.transaction(async (tx): Promise<EnrollOutcome> => {
    if (input.pendingId) return collectReenrollment(tx, input, tokenHash, agentToken);
    const [used] = await tx
      .update(enrollmentTokens)
      .set({ uses: sql`${enrollmentTokens.uses} + 1` })
      .where(
        and(
          eq(enrollmentTokens.tokenHash, tokenHash),
          isNull(enrollmentTokens.revokedAt),
          sql`${enrollmentTokens.expiresAt} > now()`,
          lt(enrollmentTokens.uses, enrollmentTokens.maxUses),
        ),
      )
      .returning({ id: enrollmentTokens.id });
    if (!used) throw unauthorized("unknown, expired or used-up enrollment token");
    const [created] = await tx
      .insert(hosts)
      .values({ machineId: input.machineId, hostname: input.hostname, agentTokenHash: hashToken(agentToken) })
      .onConflictDoNothing({ target: hosts.machineId })
      .returning({ id: hosts.id });
    if (created) return { kind: "enrolled", hostId: created.id, agentToken };

    const [host] = await tx.select({ id: hosts.id, agentTokenHash: hosts.agentTokenHash }).from(hosts).where(eq(hosts.machineId, input.machineId)).for("update");
    if (!host) throw conflict("the host was deleted while enrolling; try again");
    const proven = input.currentAgentToken !== undefined && host.agentTokenHash !== null && hashToken(input.currentAgentToken) === host.agentTokenHash;
    if (proven) {
      await tx.update(hosts).set({ hostname: input.hostname, agentTokenHash: hashToken(agentToken), enrolledAt: sql`now()` }).where(eq(hosts.id, host.id));
      return { kind: "enrolled", hostId: host.id, agentToken };
    }
    const [open] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(pendingReenrollments)
      .where(and(eq(pendingReenrollments.hostId, host.id), inArray(pendingReenrollments.status, ["pending", "approved"])));
    if ((open?.n ?? 0) >= MAX_OPEN_REENROLLMENTS) throw rateLimited(`this host already has ${MAX_OPEN_REENROLLMENTS} re-enrollment requests waiting for an admin`);
    const [pending] = await tx
      .insert(pendingReenrollments)
      .values({ hostId: host.id, hostname: input.hostname, sourceAddress: source.address.slice(0, 64), enrollmentTokenHash: tokenHash })
      .returning({ id: pendingReenrollments.id });
    return { kind: "pending", pendingId: pending!.id };
  });
  // A machine enrolled again: its previous token stops working here at once.
  if (outcome.kind === "enrolled") ctx.agentTokens.forgetHost(outcome.hostId);
  return outcome;
}

/**
 * The requester of a pending re-enrollment asks again with its `pendingId` and the same
 * enrollment token (both only it knows): still pending, rejected, or approved, and then it gets
 * the new token once. Approval is the proof, so the enrollment token's expiry and uses no
 * longer matter here.
 */
async function collectReenrollment(tx: Tx, input: EnrollRequest, tokenHash: string, agentToken: string): Promise<EnrollOutcome> {
  const [row] = await tx
    .select({ id: pendingReenrollments.id, hostId: pendingReenrollments.hostId, status: pendingReenrollments.status, tokenHash: pendingReenrollments.enrollmentTokenHash, machineId: hosts.machineId })
    .from(pendingReenrollments)
    .innerJoin(hosts, eq(hosts.id, pendingReenrollments.hostId))
    .where(eq(pendingReenrollments.id, input.pendingId!))
    .for("update");
  if (!row || row.tokenHash !== tokenHash || row.machineId !== input.machineId || row.status === "claimed") {
    throw notFound("re-enrollment request (unknown, already used, or made with another token or machine)");
  }
  if (row.status === "rejected") throw forbidden("an administrator rejected this re-enrollment");
  if (row.status === "pending") return { kind: "pending", pendingId: row.id };
  await tx.update(hosts).set({ hostname: input.hostname, agentTokenHash: hashToken(agentToken), enrolledAt: sql`now()` }).where(eq(hosts.id, row.hostId));
  await tx.update(pendingReenrollments).set({ status: "claimed" }).where(eq(pendingReenrollments.id, row.id));
  return { kind: "enrolled", hostId: row.hostId, agentToken };
}

export const ReenrollmentDecisionSchema = z.object({ id: z.string(), status: z.enum(REENROLLMENT_STATUSES) });
/** An admin's decision on a pending request; a request is decided once. */
export async function decideReenrollment(ctx: Pick<AppContext, "db">, actor: UserActor, input: { hostId: string; pendingId: string; decision: "approved" | "rejected" }) {
  const where = and(eq(pendingReenrollments.id, input.pendingId), eq(pendingReenrollments.hostId, input.hostId));
  const [row] = await ctx.db
    .update(pendingReenrollments)
    .set({ status: input.decision, decidedAt: new Date(), decidedBy: actor.userId })
    .where(and(where, eq(pendingReenrollments.status, "pending")))
    .returning({ id: pendingReenrollments.id, status: pendingReenrollments.status });
  if (row) return { id: row.id, status: row.status };
  const [existing] = await ctx.db.select({ status: pendingReenrollments.status }).from(pendingReenrollments).where(where);
  if (!existing) throw notFound("re-enrollment request");
  throw conflict(`this re-enrollment request was already ${existing.status}`);
}

/** How long a re-enrollment request is kept: undecided ones expire, decided ones are history. */
export const REENROLLMENT_KEEP_DAYS = 30;

/** Hourly: drops re-enrollment requests older than REENROLLMENT_KEEP_DAYS, decided or not. */
export async function purgeStaleReenrollments(db: AppContext["db"], keepDays = REENROLLMENT_KEEP_DAYS): Promise<number> {
  const deleted = await db
    .delete(pendingReenrollments)
    .where(lt(pendingReenrollments.createdAt, sql`now() - ${keepDays}::int * interval '1 day'`))
    .returning({ id: pendingReenrollments.id });
  return deleted.length;
}

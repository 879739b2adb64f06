import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "@/lib/auth/permissions";
import type { AppContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { hosts } from "@/lib/db/schema";
import { badRequest, notFound } from "@/lib/errors";
import { editLabels, MAX_REMOVED_LABELS } from "@/lib/hosts/labels";
import { labelKeyProblem, LabelsSchema, MAX_LABELS_PER_HOST, type Labels } from "@/lib/protocol";
import { requirePermission } from "./alerts/access";

/** Deletes the host and, by cascade, its metrics, snapshots and alert events. */
export async function deleteHost(ctx: Pick<AppContext, "db" | "agentTokens">, id: string) {
  const [row] = await ctx.db.delete(hosts).where(eq(hosts.id, id)).returning({ id: hosts.id });
  if (!row) throw notFound("host");
  ctx.agentTokens.forgetHost(id);
}

/** The host keeps its data; its agent must enroll again to report. */
export async function revokeAgent(ctx: Pick<AppContext, "db" | "agentTokens">, id: string) {
  const [row] = await ctx.db.update(hosts).set({ agentTokenHash: null }).where(eq(hosts.id, id)).returning({ id: hosts.id });
  if (!row) throw notFound("host");
  ctx.agentTokens.forgetHost(id);
}

/**
 * Why the server refused this host's agent (e.g. a protocol version it does not speak), shown on
 * the host page until the agent's telemetry is accepted again.
 */
export async function noteAgentRefusal(db: AppContext["db"], hostId: string, message: string) {
  await db.update(hosts).set({ agentNotice: message.slice(0, 512) }).where(eq(hosts.id, hostId));
}

const LabelKeySchema = z.string().superRefine((key, ctx) => {
  const problem = labelKeyProblem(key);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * `PATCH /api/hosts/:id`: `labels` is the whole set the host should carry from now on (the
 * editor sends what it shows); `resetLabels` hands keys back to the agent, dropping a user's
 * value or removal of them. The precedence is lib/hosts/labels.ts (README, "Labels").
 */
export const HostPatchSchema = z
  .object({
    labels: LabelsSchema,
    resetLabels: z.array(LabelKeySchema).max(MAX_REMOVED_LABELS + MAX_LABELS_PER_HOST).optional(),
  })
  .strict();
export type HostPatch = z.infer<typeof HostPatchSchema>;

/** A user's label edit, in one transaction with the host row locked against a concurrent one. */
export async function setHostLabels(ctx: Pick<AppContext, "db">, actor: Actor, id: string, patch: HostPatch): Promise<Labels> {
  requirePermission(actor, "hosts:label");
  const reset = patch.resetLabels ?? [];
  const both = reset.filter((k) => Object.prototype.hasOwnProperty.call(patch.labels, k));
  if (both.length > 0) throw badRequest("invalid request", both.map((k) => ({ path: `resetLabels`, message: `"${k}" is both set in labels and reset` })));
  return ctx.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const [current] = await db
      .select({ agent: hosts.agentLabels, user: hosts.userLabels, removed: hosts.removedLabels })
      .from(hosts)
      .where(eq(hosts.id, id))
      .for("update");
    if (!current) throw notFound("host");
    const next = editLabels(current, patch.labels, reset);
    const [row] = await db.update(hosts).set({ userLabels: next.user, removedLabels: next.removed }).where(eq(hosts.id, id)).returning({ labels: hosts.labels });
    return row!.labels;
  });
}

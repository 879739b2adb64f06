import { eq } from "drizzle-orm";
import type { AppContext } from "@/lib/context";
import { hosts } from "@/lib/db/schema";
import { notFound } from "@/lib/errors";

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

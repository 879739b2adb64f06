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

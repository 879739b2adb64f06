import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { hosts } from "@/lib/db/schema";
import { notFound } from "@/lib/http/errors";

/** Deletes the host and, by cascade, its metrics, snapshots and alert events. */
export async function deleteHost(db: Db, id: string) {
  const [row] = await db.delete(hosts).where(eq(hosts.id, id)).returning({ id: hosts.id });
  if (!row) throw notFound("host");
}

/** The host keeps its data; its agent must enroll again to report. */
export async function revokeAgent(db: Db, id: string) {
  const [row] = await db.update(hosts).set({ agentTokenHash: null }).where(eq(hosts.id, id)).returning({ id: hosts.id });
  if (!row) throw notFound("host");
}

import { getContext } from "@/lib/context";
import { requireUser } from "@/lib/auth/guard";
import { handler, json, parseInput, searchParams } from "@/lib/http";
import { SparklinesQuerySchema, hostSparklines } from "@/lib/queries/overview";

export const dynamic = "force-dynamic";

/** The last hour (by default) of every host's CPU, memory and disk, bucketed for sparklines. */
export const GET = handler(async (req) => {
  const ctx = await getContext();
  await requireUser(ctx, req, "read");
  const input = parseInput(SparklinesQuerySchema, searchParams(req));
  return json({ sparklines: await hostSparklines(ctx.db, { windowMs: input.windowMinutes * 60_000 }) });
});

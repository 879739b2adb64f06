import { jsonOf, parseInput, route, searchParams } from "@/lib/http";
import { SparklinesQuerySchema, SparklinesSchema, hostSparklines } from "@/lib/queries/overview";

export const dynamic = "force-dynamic";

/** The last hour (by default) of every host's CPU, memory and disk, bucketed for sparklines. */
export const GET = route("GET /api/overview/sparklines", async ({ req, ctx }) => {
  const input = parseInput(SparklinesQuerySchema, searchParams(req));
  return jsonOf(SparklinesSchema, await hostSparklines(ctx.db, { windowMs: input.windowMinutes * 60_000 }));
});

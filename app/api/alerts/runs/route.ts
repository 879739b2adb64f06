import { jsonOf, parseInput, route, searchParams } from "@/lib/http";
import { RunListSchema, listRuns, RunsQuerySchema } from "@/lib/queries/alerts";

export const dynamic = "force-dynamic";

/** Recent evaluation runs, newest first: when alerts were last evaluated and what happened. */
export const GET = route("GET /api/alerts/runs", async ({ req, ctx }) => {
  const { limit } = parseInput(RunsQuerySchema, searchParams(req));
  return jsonOf(RunListSchema, { runs: await listRuns(ctx.db, limit) });
});

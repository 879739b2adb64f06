import { AppError } from "@/lib/errors";
import { jsonOf, notFound, parseInput, route, searchParams } from "@/lib/http";
import { hostExists } from "@/lib/queries/hosts";
import { latestSnapshot } from "@/lib/queries/snapshots";
import { HostComparisonResponseSchema, diffHosts, summarizeComparison } from "@/lib/snapshots/compare";
import { CompareQuerySchema } from "@/lib/snapshots/query-input";

export const dynamic = "force-dynamic";

/** What one host's latest configuration has that a baseline host's lacks: finding the odd one out. */
export const GET = route("GET /api/drift/compare", async ({ req, ctx }) => {
  const input = parseInput(CompareQuerySchema, searchParams(req));
  const [hostId, baselineHostId] = [input.hostId.toLowerCase(), input.baselineHostId.toLowerCase()];
  for (const id of [hostId, baselineHostId]) if (!(await hostExists(ctx.db, id))) throw notFound("host");
  const [here, baseline] = await Promise.all([latestSnapshot(ctx.db, hostId), latestSnapshot(ctx.db, baselineHostId)]);
  if (!here || !baseline) throw new AppError("notFound", `${!here ? "the host" : "the baseline host"} has not sent a snapshot yet`);
  const comparison = diffHosts(here, baseline);
  return jsonOf(HostComparisonResponseSchema, {
    hostId,
    baselineHostId,
    snapshots: { here: { id: here.id, ts: here.ts.toISOString() }, baseline: { id: baseline.id, ts: baseline.ts.toISOString() } },
    summary: summarizeComparison(comparison),
    comparison,
  });
});

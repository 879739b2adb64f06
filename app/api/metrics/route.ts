import { badRequest, jsonOf, notFound, parseInput, route, searchParams } from "@/lib/http";
import { MetricsQuerySchema, resolveMetricsRange } from "@/lib/metrics/query-input";
import { hostExists } from "@/lib/queries/hosts";
import { MetricsResponseSchema, queryMetrics } from "@/lib/queries/metrics";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/metrics", async ({ req, ctx }) => {
  const range = resolveMetricsRange(parseInput(MetricsQuerySchema, searchParams(req)), Date.now(), { retentionDays: ctx.env.retentionDays });
  if ("issues" in range) throw badRequest("invalid request", range.issues);
  if (!(await hostExists(ctx.db, range.hostId))) throw notFound("host");
  const { series, source } = await queryMetrics(ctx.database, range);
  return jsonOf(MetricsResponseSchema, {
    hostId: range.hostId,
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
    stepSeconds: range.stepS,
    source,
    series,
  });
});

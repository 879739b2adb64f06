import { jsonOf, notFound, parseInput, route, searchParams } from "@/lib/http";
import { MetricsQuerySchema, resolveMetricsRange } from "@/lib/metrics/query-input";
import { hostExists } from "@/lib/queries/hosts";
import { MetricsResponseSchema, metricsPage } from "@/lib/queries/metrics";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/metrics", async ({ req, ctx }) => {
  const range = resolveMetricsRange(parseInput(MetricsQuerySchema, searchParams(req)), Date.now(), { retentionDays: ctx.env.retentionDays });
  if (!(await hostExists(ctx.db, range.hostId))) throw notFound("host");
  return jsonOf(MetricsResponseSchema, await metricsPage(ctx.database, range));
});

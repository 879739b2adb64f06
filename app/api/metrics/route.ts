import { jsonOf, notFound, parseInput, route, searchParams } from "@/lib/http";
import { MetricsQuerySchema, resolveMetricsRange } from "@/lib/metrics/query-input";
import { MetricsResponseSchema, metricsPage } from "@/lib/queries/metrics";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/metrics", async ({ req, ctx }) => {
  const range = resolveMetricsRange(parseInput(MetricsQuerySchema, searchParams(req)), Date.now(), { retentionDays: ctx.env.retentionDays });
  const page = await metricsPage(ctx.database, range);
  if (!page) throw notFound("host");
  return jsonOf(MetricsResponseSchema, page);
});

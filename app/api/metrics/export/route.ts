import { badRequest, notFound, parseInput, route, searchParams } from "@/lib/http";
import { MetricsExportQuerySchema, resolveExportRange } from "@/lib/export/range";
import { metricsCsv, metricsJson } from "@/lib/export/format";
import { downloadHeaders, textStream } from "@/lib/http/stream";
import { metricPages } from "@/lib/queries/export";
import { hostExists } from "@/lib/queries/hosts";

export const dynamic = "force-dynamic";

/** A host's raw samples for a range, as CSV or JSON, streamed a page at a time. */
export const GET = route("GET /api/metrics/export", async ({ req, ctx }) => {
  const range = resolveExportRange(parseInput(MetricsExportQuerySchema, searchParams(req)), Date.now());
  if ("issues" in range) throw badRequest("invalid request", range.issues);
  if (!(await hostExists(ctx.db, range.hostId))) throw notFound("host");
  const pages = metricPages(ctx.db, range);
  const from = new Date(range.fromMs).toISOString();
  const to = new Date(range.toMs).toISOString();
  const name = `metrics-${range.hostId}-${from.slice(0, 19)}`;
  return range.format === "csv"
    ? new Response(textStream(metricsCsv(pages), "GET /api/metrics/export"), { headers: downloadHeaders("text/csv; charset=utf-8", `${name}.csv`) })
    : new Response(textStream(metricsJson(pages, { hostId: range.hostId, from, to }), "GET /api/metrics/export"), { headers: downloadHeaders("application/json; charset=utf-8", `${name}.json`) });
});

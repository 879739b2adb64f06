import { instanceIngestCounts } from "@/lib/cluster";
import { route } from "@/lib/http";
import { CONTENT_TYPE, formatExposition } from "@/lib/prometheus/exposition";
import { buildFamilies } from "@/lib/prometheus/families";
import { listPrometheusHosts, openAlertsBySeverity } from "@/lib/queries/prometheus";

export const dynamic = "force-dynamic";

/** The Prometheus scrape target: text format 0.0.4, for an API token with the read permission. */
export const GET = route("GET /api/prometheus/metrics", async ({ ctx }) => {
  const [hosts, openAlerts, ingest] = await Promise.all([listPrometheusHosts(ctx.db, ctx.env.agentIntervalS), openAlertsBySeverity(ctx.db), instanceIngestCounts(ctx.ingest)]);
  const text = formatExposition(buildFamilies({ hosts, openAlerts, ingest }, Date.now()));
  return new Response(text, { status: 200, headers: { "content-type": CONTENT_TYPE, "cache-control": "no-store" } });
});

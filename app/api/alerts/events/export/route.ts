import { parseInput, route, searchParams } from "@/lib/http";
import { eventsCsv } from "@/lib/export/format";
import { downloadHeaders, textStream } from "@/lib/http/stream";
import { EventsExportQuerySchema, resolveEventsQuery } from "@/lib/queries/alerts";
import { eventPages } from "@/lib/queries/export";

export const dynamic = "force-dynamic";

/** The event log as CSV (the filters of GET /api/alerts/events), newest first, streamed. */
export const GET = route("GET /api/alerts/events/export", async ({ req, ctx }) => {
  const { state, hostId, ruleId, fromMs, toMs } = resolveEventsQuery(parseInput(EventsExportQuerySchema, searchParams(req)), Date.now());
  const pages = eventPages(ctx.db, { state, hostId, ruleId, fromMs, toMs });
  return new Response(textStream(eventsCsv(pages), "GET /api/alerts/events/export"), { headers: downloadHeaders("text/csv; charset=utf-8", `alert-events-${new Date().toISOString().slice(0, 19)}.csv`) });
});

import { jsonOf, parseInput, route, searchParams } from "@/lib/http";
import { AlertEventPageSchema, encodeEventCursor, EventsQuerySchema, listEvents, resolveEventsQuery } from "@/lib/queries/alerts";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/alerts/events", async ({ req, ctx }) => {
  const filter = resolveEventsQuery(parseInput(EventsQuerySchema, searchParams(req)), Date.now());
  const page = await listEvents(ctx.db, filter);
  return jsonOf(AlertEventPageSchema, { events: page.events, hasMore: page.hasMore, nextCursor: page.last ? encodeEventCursor(page.last) : null });
});

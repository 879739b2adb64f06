import { idOr404, jsonOf, notFound, route } from "@/lib/http";
import { AlertEventSchema, getEvent } from "@/lib/queries/alerts";

export const dynamic = "force-dynamic";

export const GET = route<"GET /api/alerts/events/:id", { id: string }>("GET /api/alerts/events/:id", async ({ ctx, params }) => {
  const event = await getEvent(ctx.db, idOr404(params.id, "event"));
  if (!event) throw notFound("event");
  return jsonOf(AlertEventSchema, event);
});

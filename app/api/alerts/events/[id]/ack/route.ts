import { idOr404, jsonOf, notFound, route } from "@/lib/http";
import { AlertEventSchema, getEvent } from "@/lib/queries/alerts";
import { acknowledgeEvent } from "@/lib/services/alerts/events";

export const dynamic = "force-dynamic";

/** No body needed; answers with the event as acknowledged (the first acknowledgement stands). */
export const POST = route<"POST /api/alerts/events/:id/ack", { id: string }>("POST /api/alerts/events/:id/ack", async ({ ctx, actor, params }) => {
  const id = idOr404(params.id, "event");
  await acknowledgeEvent(ctx, actor, id);
  const event = await getEvent(ctx.db, id);
  if (!event) throw notFound("event");
  return jsonOf(AlertEventSchema, event);
});

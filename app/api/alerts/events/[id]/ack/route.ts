import { idOr404, json, route } from "@/lib/http";
import { getEvent } from "@/lib/queries/alerts";
import { acknowledgeEvent } from "@/lib/services/alerts/events";

export const dynamic = "force-dynamic";

/** No body needed; answers with the event as acknowledged (the first acknowledgement stands). */
export const POST = route<"POST /api/alerts/events/:id/ack", { id: string }>("POST /api/alerts/events/:id/ack", async ({ ctx, actor, params }) => {
  const id = idOr404(params.id, "event");
  await acknowledgeEvent(ctx, actor, id);
  return json(await getEvent(ctx.db, id));
});

import { idOr404, jsonOf, notFound, route } from "@/lib/http";
import { getEvent } from "@/lib/queries/alerts";
import { DeliveryListSchema, listDeliveries } from "@/lib/queries/channels";

export const dynamic = "force-dynamic";

/** Every delivery attempt of the event's notifications, oldest first. */
export const GET = route<"GET /api/alerts/events/:id/deliveries", { id: string }>("GET /api/alerts/events/:id/deliveries", async ({ ctx, params }) => {
  const id = idOr404(params.id, "event");
  if (!(await getEvent(ctx.db, id))) throw notFound("event");
  return jsonOf(DeliveryListSchema, { deliveries: await listDeliveries(ctx.db, id) });
});

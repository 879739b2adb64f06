import { idOr404, noContent, route } from "@/lib/http";
import { deleteMaintenanceWindow } from "@/lib/services/alerts/maintenance";

export const dynamic = "force-dynamic";

type P = { id: string };

export const DELETE = route<"DELETE /api/maintenance/:id", P>("DELETE /api/maintenance/:id", async ({ ctx, actor, params }) => {
  await deleteMaintenanceWindow(ctx, actor, idOr404(params.id, "maintenance window"));
  return noContent();
});

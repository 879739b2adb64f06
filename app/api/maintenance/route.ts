import { jsonOf, notFound, parseInput, readBody, route, searchParams } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { getMaintenanceWindow, hostsInMaintenance, listMaintenanceWindows, MaintenanceListSchema, MaintenanceQuerySchema, MaintenanceWindowSchema } from "@/lib/queries/maintenance";
import { CreateMaintenanceSchema, createMaintenanceWindow } from "@/lib/services/alerts/maintenance";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/maintenance", async ({ req, ctx }) => {
  const query = parseInput(MaintenanceQuerySchema, searchParams(req));
  const now = new Date();
  const [windows, covered] = await Promise.all([listMaintenanceWindows(ctx.db, { ...query, now }), hostsInMaintenance(ctx.db, now)]);
  return jsonOf(MaintenanceListSchema, { windows, hostsInMaintenance: [...covered].sort() });
});

export const POST = route("POST /api/maintenance", async ({ req, ctx, actor }) => {
  const id = await createMaintenanceWindow(ctx, actor, await readBody(req, CreateMaintenanceSchema, BODY_LIMITS.default));
  const created = await getMaintenanceWindow(ctx.db, id);
  if (!created) throw notFound("maintenance window");
  return jsonOf(MaintenanceWindowSchema, created, 201);
});

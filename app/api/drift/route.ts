import { badRequest, jsonOf, parseInput, route, searchParams } from "@/lib/http";
import { parseTime } from "@/lib/metrics/range";
import { FleetDriftSchema, fleetDrift } from "@/lib/queries/snapshots";
import { FleetDriftQuerySchema } from "@/lib/snapshots/query-input";

export const dynamic = "force-dynamic";

/** Hosts whose configuration changed in the window, with their recent change summaries. */
export const GET = route("GET /api/drift", async ({ req, ctx }) => {
  const input = parseInput(FleetDriftQuerySchema, searchParams(req));
  const sinceMs = parseTime(input.since, Date.now());
  if (sinceMs === null) throw badRequest("invalid request", [{ path: "since", message: "must be ISO 8601 or relative like -24h, -7d" }]);
  return jsonOf(FleetDriftSchema, { since: new Date(sinceMs).toISOString(), hosts: await fleetDrift(ctx.db, { sinceMs, perHost: input.perHost }) });
});

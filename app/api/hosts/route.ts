import { jsonOf, parseInput, route, searchParams } from "@/lib/http";
import { parseSelector } from "@/lib/hosts/selector";
import { HostListQuerySchema, HostListSchema, listHosts } from "@/lib/queries/hosts";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/hosts", async ({ req, ctx }) => {
  const query = parseInput(HostListQuerySchema, searchParams(req));
  // An empty selector (the overview's cleared filter) selects every host.
  const selector = query.selector === undefined || query.selector.trim() === "" ? undefined : parseSelector(query.selector);
  return jsonOf(HostListSchema, { hosts: await listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS, selector }) });
});

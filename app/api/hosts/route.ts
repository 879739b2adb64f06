import { jsonOf, route } from "@/lib/http";
import { HostListSchema, listHosts } from "@/lib/queries/hosts";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/hosts", async ({ ctx }) => jsonOf(HostListSchema, { hosts: await listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS }) }));

import { json, route } from "@/lib/http";
import { listHosts } from "@/lib/queries/hosts";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/hosts", async ({ ctx }) => json({ hosts: await listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS }) }));

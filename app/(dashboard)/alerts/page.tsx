import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { isUuid } from "@/lib/ids";
import { listEvents, listRules, listSilences } from "@/lib/queries/alerts";
import { listHosts } from "@/lib/queries/hosts";
import { listMaintenanceWindows } from "@/lib/queries/maintenance";
import { toWire } from "@/lib/wire";
import { AlertsView } from "./_components/AlertsView";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, actor, nowMs } = await requirePage("read", "/alerts");
  const params = await searchParams;
  const hostId = typeof params.hostId === "string" && isUuid(params.hostId) ? params.hostId.toLowerCase() : "";
  const [hosts, rules, events, silences, maintenance] = await Promise.all([
    listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS }),
    listRules(ctx.db),
    listEvents(ctx.db, { limit: 500, ...(hostId ? { hostId } : {}) }),
    listSilences(ctx.db),
    listMaintenanceWindows(ctx.db, { now: new Date(nowMs) }),
  ]);
  return (
    <main className="page">
      <AlertsView
        hosts={hosts.map((h) => ({ id: h.id, hostname: h.hostname }))}
        canWrite={can(actor, "alerts:write")}
        initialHostId={hostId}
        initialNowMs={nowMs}
        initialRules={toWire(rules)}
        initialEvents={toWire(events.events)}
        initialSilences={toWire(silences)}
        initialMaintenance={toWire(maintenance)}
      />
    </main>
  );
}

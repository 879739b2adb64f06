import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { isUuid } from "@/lib/ids";
import { listEvents, listRules, listSilences } from "@/lib/queries/alerts";
import { listHosts } from "@/lib/queries/hosts";
import type { AlertEvent, AlertRule, Silence } from "@/lib/client/types";
import { AlertsView } from "./_components/AlertsView";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Alerts" };

/** Dates become the ISO strings the API would send, so the first paint and the polled data are one shape. */
const wire = <T,>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, actor, nowMs } = await requirePage("read", "/alerts");
  const params = await searchParams;
  const hostId = typeof params.hostId === "string" && isUuid(params.hostId) ? params.hostId.toLowerCase() : "";
  const [hosts, rules, events, silences] = await Promise.all([
    listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS }),
    listRules(ctx.db),
    listEvents(ctx.db, { limit: 500, ...(hostId ? { hostId } : {}) }),
    listSilences(ctx.db),
  ]);
  return (
    <main className="page">
      <AlertsView
        hosts={hosts.map((h) => ({ id: h.id, hostname: h.hostname }))}
        canWrite={can(actor, "alerts:write")}
        initialHostId={hostId}
        initialNowMs={nowMs}
        initialRules={wire<AlertRule[]>(rules)}
        initialEvents={wire<AlertEvent[]>(events.events)}
        initialSilences={wire<Silence[]>(silences)}
      />
    </main>
  );
}

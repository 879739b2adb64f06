import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listHosts } from "@/lib/queries/hosts";
import { fleetDrift } from "@/lib/queries/snapshots";
import { toWire } from "@/lib/wire";
import { FleetDrift } from "./_components/FleetDrift";
import { HostOverview } from "./_components/HostOverview";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Hosts" };

export default async function OverviewPage() {
  const { ctx, actor, nowMs } = await requirePage("read", "/");
  // Sparklines are not in the first paint: they follow in one request, so 500 hosts' HTML stays small.
  const [hosts, drift] = await Promise.all([listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS, nowMs }), fleetDrift(ctx.db, { sinceMs: nowMs - 86_400_000, perHost: 3 })]);
  return (
    <main className="page">
      <HostOverview
        initialHosts={toWire(hosts)}
        initialNowMs={nowMs}
        canEnroll={can(actor, "fleet:admin")}
        aside={<FleetDrift initial={toWire(drift)} nowMs={nowMs} />}
      />
    </main>
  );
}

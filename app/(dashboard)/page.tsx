import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listHosts } from "@/lib/queries/hosts";
import { HostOverview } from "./_components/HostOverview";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Hosts" };

export default async function OverviewPage() {
  const { ctx, actor, nowMs } = await requirePage("read", "/");
  // Sparklines are not in the first paint: they follow in one request, so 500 hosts' HTML stays small.
  const hosts = await listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS, nowMs });
  return (
    <main className="page">
      <HostOverview initialHosts={hosts} initialNowMs={nowMs} canEnroll={can(actor, "fleet:admin")} />
    </main>
  );
}

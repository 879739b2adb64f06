import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listHosts } from "@/lib/queries/hosts";
import { hostSparklines } from "@/lib/queries/overview";
import { HostOverview } from "./_components/HostOverview";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Hosts" };

export default async function OverviewPage() {
  const { ctx, actor } = await requirePage("read", "/");
  const nowMs = Date.now();
  const [hosts, sparklines] = await Promise.all([listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS, nowMs }), hostSparklines(ctx.db, { nowMs })]);
  return (
    <main className="page">
      <HostOverview initialHosts={hosts} initialSparklines={sparklines} initialNowMs={nowMs} canEnroll={can(actor, "fleet:admin")} />
    </main>
  );
}

import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listHosts } from "@/lib/queries/hosts";
import { AlertsView } from "./_components/AlertsView";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, actor } = await requirePage("read", "/alerts");
  const params = await searchParams;
  const hosts = await listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS });
  return (
    <main className="page">
      <AlertsView
        hosts={hosts.map((h) => ({ id: h.id, hostname: h.hostname }))}
        canWrite={can(actor, "alerts:write")}
        initialHostId={typeof params.hostId === "string" ? params.hostId : ""}
        initialNowMs={Date.now()}
      />
    </main>
  );
}

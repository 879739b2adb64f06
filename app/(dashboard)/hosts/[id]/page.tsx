import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { isUuid } from "@/lib/ids";
import { getHost } from "@/lib/queries/hosts";
import { latestDiskUsage } from "@/lib/queries/host-disks";
import { toWire } from "@/lib/wire";
import { HostDetail } from "./_components/HostDetail";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Host" };

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ctx, actor, nowMs } = await requirePage("read", `/hosts/${id}`);
  if (!isUuid(id)) notFound();
  const [host, disks] = await Promise.all([getHost(ctx.db, id, { defaultIntervalS: ctx.env.agentIntervalS, nowMs }), latestDiskUsage(ctx.db, id)]);
  if (!host) notFound();
  return (
    <main className="page">
      <HostDetail initialHost={toWire(host)} disks={toWire(disks)} initialNowMs={nowMs} canAdmin={can(actor, "fleet:admin")} canEditLabels={can(actor, "hosts:label")} />
    </main>
  );
}

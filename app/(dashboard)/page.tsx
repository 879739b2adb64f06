import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { parseSelector, type Selector } from "@/lib/hosts/selector";
import { listHosts } from "@/lib/queries/hosts";
import { fleetDrift } from "@/lib/queries/snapshots";
import { toWire } from "@/lib/wire";
import { FleetDrift } from "./_components/FleetDrift";
import { HostOverview } from "./_components/HostOverview";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Hosts" };

/** The filter a shared link carries, if the server can apply it; a bad one is left to the client, which shows the API's message. */
function selectorOf(text: string): Selector | null {
  try {
    return parseSelector(text);
  } catch (err) {
    if (err instanceof AppError) return null;
    throw err;
  }
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, actor, nowMs } = await requirePage("read", "/");
  const params = await searchParams;
  const text = typeof params.selector === "string" ? params.selector.trim() : "";
  const group = typeof params.group === "string" ? params.group : "";
  const selector = text ? selectorOf(text) : undefined;
  // Sparklines are not in the first paint: they follow in one request, so 500 hosts' HTML stays small.
  const [hosts, drift] = await Promise.all([
    selector === null ? null : listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS, nowMs, ...(selector ? { selector } : {}) }),
    fleetDrift(ctx.db, { sinceMs: nowMs - 86_400_000, perHost: 3 }),
  ]);
  return (
    <main className="page">
      <HostOverview
        {...(hosts ? { initialHosts: toWire(hosts) } : {})}
        initialNowMs={nowMs}
        initialSelector={text}
        initialGroupBy={group}
        canEnroll={can(actor, "fleet:admin")}
        aside={<FleetDrift initial={toWire(drift)} nowMs={nowMs} />}
      />
    </main>
  );
}

import type { Metadata } from "next";
import { headers } from "next/headers";
import { requirePage } from "@/lib/auth/page";
import { listEnrollmentTokens } from "@/lib/queries/enrollment";
import { listHosts } from "@/lib/queries/hosts";
import { toWire } from "@/lib/wire";
import { Forbidden } from "@/app/_components/Forbidden";
import { AgentsAdmin } from "./_components/AgentsAdmin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Agents" };

/** The origin the browser used (through a reverse proxy if there is one): what agents will reach. */
async function publicOrigin(): Promise<string> {
  const h = await headers();
  const first = (v: string | null) => v?.split(",")[0]?.trim() || undefined;
  const proto = first(h.get("x-forwarded-proto")) ?? "http";
  const host = first(h.get("x-forwarded-host")) ?? h.get("host") ?? "localhost";
  return `${/^https?$/.test(proto) ? proto : "http"}://${host}`;
}

export default async function AgentsPage() {
  const { ctx, allowed, nowMs } = await requirePage("fleet:admin", "/settings/agents");
  if (!allowed) return <Forbidden what="agent enrollment" />;
  const [tokens, hosts, origin] = await Promise.all([listEnrollmentTokens(ctx.db), listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS, nowMs }), publicOrigin()]);
  return (
    <main className="page">
      <AgentsAdmin
        origin={origin}
        initialNowMs={nowMs}
        initialHosts={toWire(hosts)}
        initialTokens={toWire(tokens)}
      />
    </main>
  );
}

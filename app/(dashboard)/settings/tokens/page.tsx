import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listApiTokens } from "@/lib/queries/api-tokens";
import { toWire } from "@/lib/wire";
import { Forbidden } from "@/app/_components/Forbidden";
import { ApiTokensPage } from "./_components/ApiTokensPage";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const { ctx, actor, allowed, nowMs } = await requirePage("tokens:own", "/settings/tokens");
  if (!allowed) return <Forbidden what="API tokens" />;
  const seesEveryone = can(actor, "users:admin");
  const tokens = toWire(await listApiTokens(ctx.db, { userId: actor.userId, all: seesEveryone }));
  return (
    <main className="page">
      <ApiTokensPage role={actor.role} seesEveryone={seesEveryone} initialTokens={tokens} initialNowMs={nowMs} />
    </main>
  );
}

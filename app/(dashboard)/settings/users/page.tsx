import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/page";
import { listUsers } from "@/lib/queries/users";
import { toWire } from "@/lib/wire";
import { Forbidden } from "@/app/_components/Forbidden";
import { UsersAdmin } from "./_components/UsersAdmin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const { ctx, actor, allowed } = await requirePage("users:admin", "/settings/users");
  if (!allowed) return <Forbidden what="user administration" />;
  const users = toWire(await listUsers(ctx.db));
  return (
    <main className="page">
      <UsersAdmin initialUsers={users} selfId={actor.userId} />
    </main>
  );
}

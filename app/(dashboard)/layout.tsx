import type { ReactNode } from "react";
import Link from "next/link";
import { currentActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { QueryProvider } from "@/lib/client/provider";
import { NavLinks } from "@/app/_components/NavLinks";
import { SignOutButton } from "@/app/_components/SignOutButton";

export const dynamic = "force-dynamic";

/** The signed-in frame. Each page guards itself (layouts are not re-rendered on client navigation). */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  const links = [
    { href: "/", label: "Hosts" },
    { href: "/alerts", label: "Alerts" },
    ...(actor && can(actor, "users:admin") ? [{ href: "/settings/users", label: "Users" }] : []),
    ...(actor && can(actor, "fleet:admin") ? [{ href: "/settings/agents", label: "Agents" }] : []),
    ...(actor && can(actor, "tokens:own") ? [{ href: "/settings/tokens", label: "API tokens" }] : []),
    { href: "/docs/api", label: "API docs" },
  ];
  return (
    <QueryProvider>
      <div className="shell">
        <header className="topbar">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Infra-Watch
          </Link>
          {actor ? <NavLinks links={links} /> : null}
          {actor ? (
            <div className="whoami">
              <span className="whoami-email" data-testid="signed-in-user">
                {actor.email}
              </span>
              <span className={`badge role-${actor.role}`}>{actor.role}</span>
              <SignOutButton />
            </div>
          ) : null}
        </header>
        {children}
      </div>
    </QueryProvider>
  );
}

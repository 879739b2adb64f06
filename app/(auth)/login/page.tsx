import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/page";
import { LoginForm } from "./_components/LoginForm";
import { safeCallbackUrl } from "./_components/callback";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);
  if (await currentActor()) redirect(callbackUrl);
  return (
    <main className="login-page">
      <div className="login-card">
        <h1 className="login-brand">
          <span className="brand-mark" aria-hidden="true" />
          Infra-Watch
        </h1>
        <p className="muted">Sign in to see your fleet.</p>
        <LoginForm callbackUrl={callbackUrl} />
      </div>
    </main>
  );
}

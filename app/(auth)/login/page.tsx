import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getContext } from "@/lib/context";
import { currentActor } from "@/lib/auth/page";
import { SSO_ERRORS, type SsoError } from "@/lib/sso/oidc";
import { LoginForm } from "./_components/LoginForm";
import { SsoButton } from "./_components/SsoButton";
import { safeCallbackUrl } from "./_components/callback";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);
  const ctx = await getContext();
  if (await currentActor(ctx)) redirect(callbackUrl);
  const { oidc, passwordLogin } = ctx.env;
  const error = typeof params.error === "string" ? params.error : undefined;
  // next-auth's own codes (OAuthCallback, OAuthSignin, …) say the exchange with the provider failed.
  const ssoError = error ? (Object.hasOwn(SSO_ERRORS, error) ? SSO_ERRORS[error as SsoError] : "Single sign-on failed. Try again, or ask an administrator.") : null;
  return (
    <main className="login-page">
      <div className="login-card">
        <h1 className="login-brand">
          <span className="brand-mark" aria-hidden="true" />
          Infra-Watch
        </h1>
        <p className="muted">Sign in to see your fleet.</p>
        {ssoError ? (
          <p className="form-error" role="status" data-testid="login-error">
            {ssoError}
          </p>
        ) : null}
        {oidc ? <SsoButton name={oidc.displayName} callbackUrl={callbackUrl} /> : null}
        {oidc && passwordLogin ? <p className="login-or muted">or</p> : null}
        {passwordLogin ? <LoginForm callbackUrl={callbackUrl} /> : null}
      </div>
    </main>
  );
}

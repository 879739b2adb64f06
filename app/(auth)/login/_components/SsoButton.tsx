"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";

/** Starts the redirect to the identity provider; it comes back to /api/auth/callback/oidc. */
export function SsoButton({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-primary sso-button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signIn("oidc", { callbackUrl }).catch(() => setBusy(false));
      }}
    >
      {busy ? "Redirecting…" : `Sign in with ${name}`}
    </button>
  );
}

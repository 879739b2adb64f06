/**
 * The next-auth options of the dashboard's sign-in: the Credentials provider against the same
 * users table and password hashes as the API login, single sign-on with any OpenID provider
 * when IW_OIDC_* are set, JWT session strategy. The cookie they issue is read back by
 * lib/auth/session.ts (the guard), which knows nothing of next-auth's handler.
 */
import type { AuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { AppContext } from "@/lib/context";
import { loadUserActor } from "@/lib/auth/guard";
import type { OidcSettings, SsoError } from "@/lib/sso/oidc";
import { safeRedirect } from "@/lib/auth/redirect";
import { SESSION_MAX_AGE_S, liveSessionClaims } from "@/lib/auth/session";
import { authenticatePassword } from "@/lib/services/auth";
import { signInWithOidc } from "@/lib/services/sso";

/** Thrown from the jwt callback: next-auth then clears the cookie and answers an empty session. */
class SessionEndedError extends Error {
  constructor() {
    super("the session has ended (signed out by an admin, password reset or lifetime reached)");
  }
}

/** next-auth's id of the single sign-on provider: its callback is /api/auth/callback/oidc. */
export const OIDC_PROVIDER_ID = "oidc";

type Claims = Record<string, unknown>;

/**
 * Any OpenID provider, from its discovery document. The ID token's claims decide (next-auth
 * checks its signature, issuer, audience and expiry with openid-client); PKCE and state
 * protect the redirect.
 */
function oidcProvider(settings: OidcSettings): OAuthConfig<Claims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.displayName,
    type: "oauth",
    wellKnown: `${settings.issuer}/.well-known/openid-configuration`,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(claims) {
      return { id: String(claims.sub), email: typeof claims.email === "string" ? claims.email : null, name: typeof claims.name === "string" ? claims.name : null };
    },
  };
}

/** The login page explains these; next-auth follows a string from the signIn callback as a redirect. */
const refusedTo = (error: SsoError) => `/login?error=${error}`;

/** Log lines never carry the client secret, whatever an error message quotes. */
function scrubber(secrets: (string | undefined)[]) {
  const present = secrets.filter((s): s is string => Boolean(s && s.length >= 4));
  return (text: string) => present.reduce((t, s) => t.split(s).join("[redacted]"), text);
}

function describeError(metadata: unknown): string {
  if (metadata instanceof Error) return metadata.message;
  const m = metadata as { message?: unknown; error?: unknown } | null;
  if (typeof m?.message === "string") return m.message;
  if (m?.error instanceof Error) return m.error.message;
  try {
    return JSON.stringify(metadata) ?? String(metadata);
  } catch {
    return String(metadata);
  }
}

export function authOptions(ctx: AppContext, clientAddress: string): AuthOptions {
  const scrub = scrubber([ctx.env.oidc?.clientSecret, ctx.secret]);
  return {
    secret: ctx.secret,
    session: { strategy: "jwt", maxAge: Math.min(SESSION_MAX_AGE_S, ctx.env.sessionLifetimeS) },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          if (!ctx.env.passwordLogin) throw new Error("PasswordLoginOff" satisfies SsoError);
          if (!credentials?.email || !credentials.password) return null;
          const outcome = await authenticatePassword(ctx, { email: credentials.email, password: credentials.password, address: clientAddress });
          if (outcome.kind === "limited") throw new Error(`Too many failed sign-ins. Try again in ${outcome.retryAfterS} s.`);
          if (outcome.kind !== "ok") return null;
          return { id: outcome.user.id, email: outcome.user.email, name: outcome.user.name ?? outcome.user.email };
        },
      }),
      ...(ctx.env.oidc ? [oidcProvider(ctx.env.oidc)] : []),
    ],
    callbacks: {
      /**
       * Single sign-on: the provider's claims name (or create) a local user, whose id the
       * session then carries (next-auth hands this same `user` object to the jwt callback).
       * Password sign-ins were decided by authorize().
       */
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID || !ctx.env.oidc) return true;
        const outcome = await signInWithOidc(ctx, ctx.env.oidc, (profile ?? {}) as Claims);
        if (outcome.kind === "refused") return refusedTo(outcome.error);
        user.id = outcome.user.id;
        user.email = outcome.user.email;
        user.name = outcome.user.name ?? outcome.user.email;
        return true;
      },
      async jwt({ token, user }) {
        if (user) return { ...token, uid: user.id, sat: Math.floor(Date.now() / 1000) };
        const claims = liveSessionClaims(token, ctx.env.sessionLifetimeS);
        // The user row decides on every renewal: disabled, reset since the sign-in, or deleted.
        if (!claims || !(await loadUserActor(ctx, claims.userId, claims.signedInAtS))) throw new SessionEndedError();
        return token;
      },
      session({ session, token }) {
        // Role and disabled state are read fresh from the database by the pages; the cookie only names the user.
        return { ...session, userId: token.uid };
      },
      redirect({ url, baseUrl }) {
        return safeRedirect(url, baseUrl);
      },
    },
    logger: {
      error(code, metadata) {
        if (metadata instanceof SessionEndedError) return;
        console.error(`[next-auth][error][${code}]`, scrub(describeError(metadata)));
      },
      warn(code) {
        console.warn(`[next-auth][warn][${code}]`);
      },
      debug() {},
    },
  };
}

/**
 * The next-auth options of the dashboard's sign-in: Credentials provider against the same users
 * table and password hashes as the API login, JWT session strategy. The cookie they issue is
 * read back by lib/auth/session.ts (the guard), which knows nothing of next-auth's handler.
 */
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { AppContext } from "@/lib/context";
import { loadUserActor } from "@/lib/auth/guard";
import { safeRedirect } from "@/lib/auth/redirect";
import { SESSION_MAX_AGE_S, liveSessionClaims } from "@/lib/auth/session";
import { authenticatePassword } from "@/lib/services/auth";

/** Thrown from the jwt callback: next-auth then clears the cookie and answers an empty session. */
class SessionEndedError extends Error {
  constructor() {
    super("the session has ended (signed out by an admin, password reset or lifetime reached)");
  }
}

export function authOptions(ctx: AppContext, clientAddress: string): AuthOptions {
  return {
    secret: ctx.secret,
    session: { strategy: "jwt", maxAge: Math.min(SESSION_MAX_AGE_S, ctx.env.sessionLifetimeS) },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          if (!credentials?.email || !credentials.password) return null;
          const outcome = await authenticatePassword(ctx, { email: credentials.email, password: credentials.password, address: clientAddress });
          if (outcome.kind === "limited") throw new Error(`Too many failed sign-ins. Try again in ${outcome.retryAfterS} s.`);
          if (outcome.kind !== "ok") return null;
          return { id: outcome.user.id, email: outcome.user.email, name: outcome.user.name ?? outcome.user.email };
        },
      }),
    ],
    callbacks: {
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
        console.error(`[next-auth][error][${code}]`, metadata instanceof Error ? metadata.message : metadata);
      },
      warn(code) {
        console.warn(`[next-auth][warn][${code}]`);
      },
      debug() {},
    },
  };
}


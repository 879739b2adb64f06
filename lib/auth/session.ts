/**
 * Dashboard sessions: next-auth v4, Credentials provider, JWT session strategy, against the
 * same users table and password hashes as the API login. The guard reads the session cookie
 * itself (decode), so it needs no request-scoped Next API and runs in tests too.
 *
 * next-auth re-encodes the cookie with a fresh `iat` whenever /api/auth/session is read, so
 * `iat` says nothing about when the user signed in. The sign-in time travels in its own claim
 * (`sat`): a password reset or disable (`sessions_valid_after`) and the absolute lifetime are
 * judged by it, in the guard and in the jwt callback, which refuses to renew an ended session.
 */
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { decode } from "next-auth/jwt";
import type { AppContext } from "@/lib/context";
import { authenticatePassword } from "@/lib/services/auth";
import { loadUserActor } from "./guard";
import { safeRedirect } from "./redirect";

/** Idle lifetime: a session not renewed for this long ends (and never outlives IW_SESSION_LIFETIME_S). */
export const SESSION_MAX_AGE_S = 12 * 3600;
const COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** Thrown from the jwt callback: next-auth then clears the cookie and answers an empty session. */
class SessionEndedError extends Error {
  constructor() {
    super("the session has ended (signed out by an admin, password reset or lifetime reached)");
  }
}

type SessionToken = Record<string, unknown>;

/** The claims of a session that may still be used at `nowS`, or null. */
export function liveSessionClaims(token: SessionToken, lifetimeS: number, nowS = Math.floor(Date.now() / 1000)): SessionClaims | null {
  if (typeof token.uid !== "string" || typeof token.sat !== "number") return null;
  if (token.sat > nowS + 60 || token.sat + lifetimeS <= nowS) return null;
  return { userId: token.uid, signedInAtS: token.sat };
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

function readCookie(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

export type SessionClaims = { userId: string; signedInAtS: number };

export async function sessionFromCookies(ctx: AppContext, cookieHeader: string): Promise<SessionClaims | null> {
  for (const name of COOKIE_NAMES) {
    const token = readCookie(cookieHeader, name);
    if (!token) continue;
    try {
      const payload = await decode({ token, secret: ctx.secret });
      const claims = payload ? liveSessionClaims(payload, ctx.env.sessionLifetimeS) : null;
      if (claims) return claims;
    } catch {
      // a cookie we cannot decode is no session
    }
  }
  return null;
}

export const requestSession = (ctx: AppContext, req: Request) => sessionFromCookies(ctx, req.headers.get("cookie") ?? "");

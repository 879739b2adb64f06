/**
 * Dashboard sessions: the next-auth v4 session cookie (JWT strategy), read by the guard itself
 * (decode), so it needs no request-scoped Next API and runs in tests too. The next-auth options
 * that issue it live beside their route, app/api/auth/[...nextauth]/auth-options.ts.
 *
 * next-auth re-encodes the cookie with a fresh `iat` whenever /api/auth/session is read, so
 * `iat` says nothing about when the user signed in. The sign-in time travels in its own claim
 * (`sat`): a password reset or disable (`sessions_valid_after`) and the absolute lifetime are
 * judged by it, in the guard and in the jwt callback, which refuses to renew an ended session.
 */
import { decode } from "next-auth/jwt";
import type { AppContext } from "@/lib/context";

/** Idle lifetime: a session not renewed for this long ends (and never outlives IW_SESSION_LIFETIME_S). */
export const SESSION_MAX_AGE_S = 12 * 3600;
const COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

type SessionToken = Record<string, unknown>;

/** The claims of a session that may still be used at `nowS`, or null. */
export function liveSessionClaims(token: SessionToken, lifetimeS: number, nowS = Math.floor(Date.now() / 1000)): SessionClaims | null {
  if (typeof token.uid !== "string" || typeof token.sat !== "number") return null;
  if (token.sat > nowS + 60 || token.sat + lifetimeS <= nowS) return null;
  return { userId: token.uid, signedInAtS: token.sat };
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

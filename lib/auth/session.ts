/**
 * Dashboard sessions: next-auth v4, Credentials provider, JWT session strategy, against the
 * same users table and password hashes as the API login. The guard reads the session cookie
 * itself (decode), so it needs no request-scoped Next API and runs in tests too.
 */
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { decode } from "next-auth/jwt";
import type { AppContext } from "@/lib/context";
import { authenticatePassword } from "@/lib/services/auth";

export const SESSION_MAX_AGE_S = 12 * 3600;
const COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

export function authOptions(ctx: AppContext, clientAddress: string): AuthOptions {
  return {
    secret: ctx.secret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
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
      jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        // Role and disabled state are read fresh from the database by the pages; the cookie only names the user.
        return { ...session, userId: token.uid };
      },
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

export type SessionClaims = { userId: string; issuedAtS: number };

export async function sessionFromCookies(ctx: AppContext, cookieHeader: string): Promise<SessionClaims | null> {
  for (const name of COOKIE_NAMES) {
    const token = readCookie(cookieHeader, name);
    if (!token) continue;
    try {
      const payload = await decode({ token, secret: ctx.secret });
      if (payload && typeof payload.uid === "string" && typeof payload.iat === "number") return { userId: payload.uid, issuedAtS: payload.iat };
    } catch {
      // a cookie we cannot decode is no session
    }
  }
  return null;
}

export const requestSession = (ctx: AppContext, req: Request) => sessionFromCookies(ctx, req.headers.get("cookie") ?? "");

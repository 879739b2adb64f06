/**
 * The guard for server-rendered pages: the same session cookie and the same permission table as
 * the API guard. The role is read fresh on every render, so a demotion or a disabled account
 * takes effect on the next page view.
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getContext, type AppContext } from "@/lib/context";
import { loadUserActor } from "./guard";
import { can, type Permission, type UserActor } from "./permissions";
import { sessionFromCookies } from "./session";

/** `nowMs`: the request's time, one clock for the page's queries and its relative times. */
export type PageAccess = { allowed: boolean; ctx: AppContext; actor: UserActor; nowMs: number };

async function cookieHeader(): Promise<string> {
  const store = await cookies();
  return store
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
}

/** The signed-in user, or null. Never redirects: for the login page and the layout. */
export async function currentActor(ctx?: AppContext): Promise<UserActor | null> {
  const app = ctx ?? (await getContext());
  const session = await sessionFromCookies(app, await cookieHeader());
  return session ? loadUserActor(app, session.userId, session.signedInAtS) : null;
}

/**
 * Signed out (or disabled) -> redirect to /login with the page as callbackUrl.
 * Signed in without the permission -> `allowed: false`, and the page renders <Forbidden/>.
 */
export async function requirePage(permission: Permission, path: string): Promise<PageAccess> {
  const ctx = await getContext();
  const actor = await currentActor(ctx);
  if (!actor) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  return { allowed: can(actor, permission), ctx, actor, nowMs: Date.now() };
}

/**
 * The one way to write an API route: name it, and the wrapper applies its access from the
 * table (user permission, agent token, cron secret or public), resolves the app context and
 * the route params, and turns expected failures into their JSON error bodies.
 */
import { timingSafeEqual } from "node:crypto";
import { getContext, type AppContext } from "@/lib/context";
import { bearerToken, requireAgent, requireApiToken, requireUser } from "@/lib/auth/guard";
import type { AgentActor, Permission, UserActor } from "@/lib/auth/permissions";
import { ROUTE_ACCESS, type Access, type RouteKey } from "@/lib/auth/routes";
import { crossSiteReason, isUnsafeMethod } from "@/lib/auth/csrf";
import { AppError, forbidden, unauthorized } from "@/lib/errors";
import { PROTOCOL_HEADER, protocolVerdict } from "@/lib/protocol/constants";
import { noteAgentRefusal } from "@/lib/services/hosts";
import { errorResponse } from "./respond";
import type { LogFields } from "@/lib/db/log";

type ActorFor<A extends Access> = A extends Permission | "token:read" ? UserActor : A extends "agent" ? AgentActor : null;

export type RouteArgs<K extends RouteKey, P> = {
  req: Request;
  ctx: AppContext;
  actor: ActorFor<(typeof ROUTE_ACCESS)[K]>;
  params: P;
  /** Adds fields (e.g. the sample count) to the log line written if this request fails. */
  note: (fields: LogFields) => void;
};

/** CSRF: a dashboard-cookie request that changes something must come from the app's own pages. */
function checkSameOrigin(ctx: AppContext, req: Request) {
  if (!isUnsafeMethod(req.method) || bearerToken(req)) return;
  const reason = crossSiteReason(req.headers, ctx.env.appOrigin);
  if (reason) throw forbidden(`cross-site request refused (${reason})`);
}

/**
 * Agents say which protocol they speak (lib/protocol/constants.ts); one this server does not
 * speak is refused with 426 before anything is read or written, and an enrolled host gets the
 * reason on its page.
 */
async function checkProtocol(ctx: AppContext, req: Request, agent: AgentActor | null) {
  const verdict = protocolVerdict(req.headers.get(PROTOCOL_HEADER));
  if (verdict.ok) return;
  if (agent) await noteAgentRefusal(ctx.db, agent.hostId, verdict.message).catch(() => {});
  throw new AppError("upgradeRequired", verdict.message);
}

function checkCronSecret(ctx: AppContext, req: Request) {
  const given = Buffer.from(bearerToken(req) ?? "");
  const expected = Buffer.from(ctx.env.cronSecret ?? "");
  if (!expected.length || given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthorized("a valid CRON_SECRET bearer token is required");
}

export function route<K extends RouteKey, P extends Record<string, string | string[]> = Record<string, never>>(
  key: K,
  fn: (args: RouteArgs<K, P>) => Promise<Response>,
): (req: Request, routeCtx: { params: Promise<P> }) => Promise<Response> {
  const access = ROUTE_ACCESS[key] as Access;
  return async (req, routeCtx) => {
    let actor: UserActor | AgentActor | null = null;
    const fields: LogFields = {};
    const note = (more: LogFields) => void Object.assign(fields, more);
    try {
      const ctx = await getContext();
      if (access === "agent") actor = await requireAgent(ctx, req);
      else if (access === "cron") checkCronSecret(ctx, req);
      else if (access === "token:read") actor = await requireApiToken(ctx, req, "read");
      else if (access !== "public") {
        actor = await requireUser(ctx, req, access);
        checkSameOrigin(ctx, req);
      }
      // The agent's routes and its enrollment (public: it has no token yet) speak the agent protocol.
      if (access === "agent" || key === "POST /api/agents/enroll") await checkProtocol(ctx, req, actor as AgentActor | null);
      const params = ((await routeCtx?.params) ?? {}) as P;
      return await fn({ req, ctx, actor: actor as ActorFor<(typeof ROUTE_ACCESS)[K]>, params, note });
    } catch (err) {
      return errorResponse(err, key, failureFields(actor, fields));
    }
  };
}

/** What the failure log line says about the request besides its route (never its body). */
function failureFields(actor: UserActor | AgentActor | null, fields: LogFields): LogFields {
  return { ...(actor?.kind === "agent" ? { hostId: actor.hostId } : {}), ...fields };
}

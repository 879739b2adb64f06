import { route } from "@/lib/http";
import { decide, type DecisionParams } from "../decide";

export const dynamic = "force-dynamic";

/** Admins: the requester collects a new agent token on its next attempt; the old token stops working then. */
export const POST = route<"POST /api/hosts/:id/reenrollments/:pendingId/approve", DecisionParams>("POST /api/hosts/:id/reenrollments/:pendingId/approve", ({ ctx, actor, params }) =>
  decide(ctx, actor, params, "approved"),
);

import { route } from "@/lib/http";
import { decide, type DecisionParams } from "../decide";

export const dynamic = "force-dynamic";

/** Admins: the requester is told so on its next attempt; the host keeps its current token. */
export const POST = route<"POST /api/hosts/:id/reenrollments/:pendingId/reject", DecisionParams>("POST /api/hosts/:id/reenrollments/:pendingId/reject", ({ ctx, actor, params }) =>
  decide(ctx, actor, params, "rejected"),
);

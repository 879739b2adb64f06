import { getContext } from "@/lib/context";
import { requireUser } from "@/lib/auth/guard";
import { handler, json, readBody } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { listEnrollmentTokens } from "@/lib/queries/enrollment";
import { CreateEnrollmentTokenSchema, createEnrollmentToken } from "@/lib/services/enrollment";

export const dynamic = "force-dynamic";

export const GET = handler(async (req) => {
  const ctx = await getContext();
  await requireUser(ctx, req, "fleet:admin");
  return json({ tokens: await listEnrollmentTokens(ctx.db) });
});

export const POST = handler(async (req) => {
  const ctx = await getContext();
  const actor = await requireUser(ctx, req, "fleet:admin");
  const input = await readBody(req, CreateEnrollmentTokenSchema, BODY_LIMITS.default, {});
  return json(await createEnrollmentToken(ctx, actor, input), 201);
});

import { json, parseInput, readBody, route, searchParams } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { getSilence, listSilences, SilencesQuerySchema } from "@/lib/queries/alerts";
import { CreateSilenceSchema, createSilence } from "@/lib/services/alerts/silences";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/alerts/silences", async ({ req, ctx }) => {
  const query = parseInput(SilencesQuerySchema, searchParams(req));
  return json({ silences: await listSilences(ctx.db, query) });
});

export const POST = route("POST /api/alerts/silences", async ({ req, ctx, actor }) => {
  const id = await createSilence(ctx, actor, await readBody(req, CreateSilenceSchema, BODY_LIMITS.default));
  return json(await getSilence(ctx.db, id), 201);
});

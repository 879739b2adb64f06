import { jsonOf, notFound, parseInput, readBody, route, searchParams } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { SilenceListSchema, SilenceSchema, getSilence, listSilences, SilencesQuerySchema } from "@/lib/queries/alerts";
import { CreateSilenceSchema, createSilence } from "@/lib/services/alerts/silences";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/alerts/silences", async ({ req, ctx }) => {
  const query = parseInput(SilencesQuerySchema, searchParams(req));
  return jsonOf(SilenceListSchema, { silences: await listSilences(ctx.db, query) });
});

export const POST = route("POST /api/alerts/silences", async ({ req, ctx, actor }) => {
  const id = await createSilence(ctx, actor, await readBody(req, CreateSilenceSchema, BODY_LIMITS.default));
  const silence = await getSilence(ctx.db, id);
  if (!silence) throw notFound("silence");
  return jsonOf(SilenceSchema, silence, 201);
});

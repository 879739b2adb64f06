import { idOr404, jsonOf, noContent, notFound, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { SilenceSchema, getSilence } from "@/lib/queries/alerts";
import { UpdateSilenceSchema, deleteSilence, updateSilence } from "@/lib/services/alerts/silences";

export const dynamic = "force-dynamic";

type P = { id: string };

export const PATCH = route<"PATCH /api/alerts/silences/:id", P>("PATCH /api/alerts/silences/:id", async ({ req, ctx, actor, params }) => {
  const id = idOr404(params.id, "silence");
  await updateSilence(ctx, actor, id, await readBody(req, UpdateSilenceSchema, BODY_LIMITS.default));
  const silence = await getSilence(ctx.db, id);
  if (!silence) throw notFound("silence");
  return jsonOf(SilenceSchema, silence);
});

export const DELETE = route<"DELETE /api/alerts/silences/:id", P>("DELETE /api/alerts/silences/:id", async ({ ctx, actor, params }) => {
  await deleteSilence(ctx, actor, idOr404(params.id, "silence"));
  return noContent();
});

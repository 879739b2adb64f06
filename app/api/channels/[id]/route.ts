import { idOr404, jsonOf, noContent, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { ChannelViewSchema } from "@/lib/queries/channels";
import { UpdateChannelSchema, deleteChannel, updateChannel } from "@/lib/services/alerts/channels";

export const dynamic = "force-dynamic";

type P = { id: string };

export const PATCH = route<"PATCH /api/channels/:id", P>("PATCH /api/channels/:id", async ({ req, ctx, actor, params }) => {
  const id = idOr404(params.id, "channel");
  return jsonOf(ChannelViewSchema, await updateChannel(ctx, actor, id, await readBody(req, UpdateChannelSchema, BODY_LIMITS.default)));
});

export const DELETE = route<"DELETE /api/channels/:id", P>("DELETE /api/channels/:id", async ({ ctx, actor, params }) => {
  await deleteChannel(ctx, actor, idOr404(params.id, "channel"));
  return noContent();
});

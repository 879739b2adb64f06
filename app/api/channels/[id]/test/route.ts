import { idOr404, jsonOf, route } from "@/lib/http";
import { ChannelTestResultSchema, testChannel } from "@/lib/services/alerts/channels";

export const dynamic = "force-dynamic";

/** Sends one test message now and answers with what the channel said: {ok, status, error, durationMs}. */
export const POST = route<"POST /api/channels/:id/test", { id: string }>("POST /api/channels/:id/test", async ({ ctx, actor, params }) => jsonOf(ChannelTestResultSchema, await testChannel(ctx, actor, idOr404(params.id, "channel"))));

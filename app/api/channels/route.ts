import { jsonOf, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { ChannelListSchema, ChannelViewSchema, listChannels } from "@/lib/queries/channels";
import { CreateChannelSchema, createChannel } from "@/lib/services/alerts/channels";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/channels", async ({ ctx }) => jsonOf(ChannelListSchema, { channels: await listChannels(ctx.db) }));

export const POST = route("POST /api/channels", async ({ req, ctx, actor }) => jsonOf(ChannelViewSchema, await createChannel(ctx, actor, await readBody(req, CreateChannelSchema, BODY_LIMITS.default)), 201));

import { json, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { listUsers } from "@/lib/queries/users";
import { CreateUserSchema, createUser } from "@/lib/services/users";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/users", async ({ ctx }) => json({ users: await listUsers(ctx.db) }));

export const POST = route("POST /api/users", async ({ req, ctx }) => {
  const input = await readBody(req, CreateUserSchema, BODY_LIMITS.default);
  return json(await createUser(ctx, input), 201);
});

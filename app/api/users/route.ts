import { jsonOf, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { listUsers } from "@/lib/queries/users";
import { CreateUserSchema, PublicUserSchema, UserListSchema, createUser } from "@/lib/services/users";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/users", async ({ ctx }) => jsonOf(UserListSchema, { users: await listUsers(ctx.db) }));

export const POST = route("POST /api/users", async ({ req, ctx }) => {
  const input = await readBody(req, CreateUserSchema, BODY_LIMITS.default);
  return jsonOf(PublicUserSchema, await createUser(ctx, input), 201);
});

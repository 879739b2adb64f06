import { getContext } from "@/lib/context";
import { requireUser } from "@/lib/auth/guard";
import { handler, json, readBody } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { listUsers } from "@/lib/queries/users";
import { CreateUserSchema, createUser } from "@/lib/services/users";

export const dynamic = "force-dynamic";

export const GET = handler(async (req) => {
  const ctx = await getContext();
  await requireUser(ctx, req, "users:admin");
  return json({ users: await listUsers(ctx.db) });
});

export const POST = handler(async (req) => {
  const ctx = await getContext();
  await requireUser(ctx, req, "users:admin");
  const input = await readBody(req, CreateUserSchema, BODY_LIMITS.default);
  return json(await createUser(ctx, input), 201);
});

import { getContext } from "@/lib/context";
import { requireUser } from "@/lib/auth/guard";
import { handler, idParam, json, noContent, readBody } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { UpdateUserSchema, deleteUser, updateUser } from "@/lib/services/users";

export const dynamic = "force-dynamic";
type Ctx = { params: Promise<{ id: string }> };

export const PATCH = handler<Ctx>(async (req, route) => {
  const ctx = await getContext();
  await requireUser(ctx, req, "users:admin");
  const id = await idParam(route, "user");
  const input = await readBody(req, UpdateUserSchema, BODY_LIMITS.default);
  return json(await updateUser(ctx, id, input));
});

export const DELETE = handler<Ctx>(async (req, route) => {
  const ctx = await getContext();
  await requireUser(ctx, req, "users:admin");
  await deleteUser(ctx, await idParam(route, "user"));
  return noContent();
});

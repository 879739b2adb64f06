import { idOr404, jsonOf, noContent, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { PublicUserSchema, UpdateUserSchema, deleteUser, updateUser } from "@/lib/services/users";

export const dynamic = "force-dynamic";

export const PATCH = route<"PATCH /api/users/:id", { id: string }>("PATCH /api/users/:id", async ({ req, ctx, params }) => {
  const id = idOr404(params.id, "user");
  const input = await readBody(req, UpdateUserSchema, BODY_LIMITS.default);
  return jsonOf(PublicUserSchema, await updateUser(ctx, id, input));
});

export const DELETE = route<"DELETE /api/users/:id", { id: string }>("DELETE /api/users/:id", async ({ ctx, params }) => {
  await deleteUser(ctx, idOr404(params.id, "user"));
  return noContent();
});

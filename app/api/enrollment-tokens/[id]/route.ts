import { idOr404, noContent, route } from "@/lib/http";
import { revokeEnrollmentToken } from "@/lib/services/enrollment";

export const dynamic = "force-dynamic";

/** Revokes an enrollment token: agents can no longer enroll with it (enrolled ones keep working). */
export const DELETE = route<"DELETE /api/enrollment-tokens/:id", { id: string }>("DELETE /api/enrollment-tokens/:id", async ({ ctx, params }) => {
  await revokeEnrollmentToken(ctx, idOr404(params.id, "enrollment token"));
  return noContent();
});

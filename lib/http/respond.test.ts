import { describe, expect, it } from "vitest";
import { AppError, badRequest, conflict, forbidden, notFound, rateLimited, unauthorized } from "@/lib/errors";
import { errorResponse } from "./respond";

const reply = async (err: unknown) => {
  const res = errorResponse(err, "test", undefined);
  return { status: res.status, body: await res.json(), retryAfter: res.headers.get("retry-after"), connection: res.headers.get("connection") };
};

describe("failures become HTTP in one place", () => {
  it("gives each kind the contract's status and the {error, issues?} body", async () => {
    const cases: [AppError, number][] = [
      [badRequest("invalid request", [{ path: "from", message: "must not be after to" }]), 400],
      [unauthorized(), 401],
      [forbidden(), 403],
      [notFound("host"), 404],
      [conflict("email already in use"), 409],
      [new AppError("tooLarge", "too big", { closeConnection: true }), 413],
      [new AppError("unsupportedMediaType", "the body must be JSON"), 415],
      [rateLimited("slow down", 30), 429],
    ];
    for (const [err, status] of cases) {
      const r = await reply(err);
      expect(r.status).toBe(status);
      expect(r.body).toEqual({ error: err.message, ...(err.issues ? { issues: err.issues } : {}) });
    }
  });

  it("sends retry-after for a rate limit and closes the connection after an unread body", async () => {
    expect((await reply(rateLimited("slow down", 30))).retryAfter).toBe("30");
    expect((await reply(rateLimited("slow down"))).retryAfter).toBeNull();
    expect((await reply(new AppError("tooLarge", "too big", { closeConnection: true }))).connection).toBe("close");
    expect((await reply(badRequest("x"))).connection).toBeNull();
  });

  it("adds the fields the contract gives a failure's body, never over its message", async () => {
    const r = await reply(conflict("held for approval", { pendingId: "p-1", error: "not this" }));
    expect(r).toMatchObject({ status: 409, body: { error: "held for approval", pendingId: "p-1" } });
  });

  it("answers anything else as a 500 without its message", async () => {
    const r = await reply(new Error("secret detail"));
    expect(r).toMatchObject({ status: 500, body: { error: "internal error" } });
  });
});

import type { z } from "zod";
import { dbErrorCode } from "@/lib/db/sql";
import { NOT_COMMITTED } from "@/lib/db/transaction";
import { DATABASE_THREAD_GONE } from "@/lib/db/pglite-thread";
import { logDbError, type LogFields } from "@/lib/db/log";
import type { ErrorBody } from "@/lib/protocol";
import { PROTOCOL_MISMATCH_STATUS } from "@/lib/protocol/constants";
import { toWire } from "@/lib/wire";
import { AppError, type FailureKind } from "@/lib/errors";

/** A JSON reply, serialized by the one server-to-client serializer (lib/wire.ts) the pages use too. */
export const json = (body: unknown, status = 200, headers?: Record<string, string>) =>
  Response.json(toWire(body), { status, headers: { "cache-control": "no-store", ...headers } });

export const noContent = () => new Response(null, { status: 204 });

/** postgres.js / PGlite failures that mean "the database is not there right now" (a lost embedded-database thread included). */
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08006", NOT_COMMITTED, DATABASE_THREAD_GONE]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const code = dbErrorCode(err);
  return code !== undefined && UNAVAILABLE_CODES.has(code);
}

/** `where` and `fields` name the failure in the log line (route, host id, sample count). */
export function errorResponse(err: unknown, where = "request", fields?: LogFields): Response {
  if (err instanceof AppError) return failureResponse(err);
  logDbError(where, err, fields);
  if (isDatabaseUnavailable(err)) return json({ error: "the database is unavailable, retry later" }, 503, { "retry-after": "5" });
  return json({ error: "internal error" }, 500);
}

/** The contract's status code for each kind of expected failure. */
export const STATUS_OF: Record<FailureKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  tooLarge: 413,
  unsupportedMediaType: 415,
  rateLimited: 429,
  upgradeRequired: PROTOCOL_MISMATCH_STATUS,
};

/** The one place an expected failure becomes HTTP: its status, `{error, issues?}` and headers. */
export function failureResponse(err: AppError): Response {
  const { issues, retryAfterS, closeConnection, fields } = err.details;
  const body: ErrorBody = { ...fields, error: err.message, ...(issues ? { issues } : {}) };
  const headers: Record<string, string> = {
    ...(retryAfterS !== undefined ? { "retry-after": String(retryAfterS) } : {}),
    ...(closeConnection ? { connection: "close" } : {}),
  };
  return json(body, STATUS_OF[err.kind], headers);
}

/** `json` typed by the route's response schema: what the OpenAPI document says the route answers. */
export const jsonOf = <S extends z.ZodType>(_schema: S, body: z.output<S>, status = 200, headers?: Record<string, string>) => json(body, status, headers);

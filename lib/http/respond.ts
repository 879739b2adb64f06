import type { z } from "zod";
import { dbErrorCode } from "@/lib/db/sql";
import { NOT_COMMITTED } from "@/lib/db/transaction";
import { logDbError, type LogFields } from "@/lib/db/log";
import type { ErrorBody } from "@/lib/protocol";
import { HttpError } from "./errors";

export const json = (body: unknown, status = 200, headers?: Record<string, string>) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

export const noContent = () => new Response(null, { status: 204 });

/** postgres.js / PGlite failures that mean "the database is not there right now". */
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08006", NOT_COMMITTED]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const code = dbErrorCode(err);
  return code !== undefined && UNAVAILABLE_CODES.has(code);
}

/** `where` and `fields` name the failure in the log line (route, host id, sample count). */
export function errorResponse(err: unknown, where = "request", fields?: LogFields): Response {
  if (err instanceof HttpError) {
    const body: ErrorBody = { error: err.message, ...(err.issues ? { issues: err.issues } : {}) };
    return json(body, err.status, err.headers);
  }
  logDbError(where, err, fields);
  if (isDatabaseUnavailable(err)) return json({ error: "the database is unavailable, retry later" }, 503, { "retry-after": "5" });
  return json({ error: "internal error" }, 500);
}

/** `json` typed by the route's response schema: what the OpenAPI document says the route answers. */
export const jsonOf = <S extends z.ZodType>(_schema: S, body: z.output<S>, status = 200, headers?: Record<string, string>) => json(body, status, headers);

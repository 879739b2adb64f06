/**
 * The one way every layer reports an expected failure: throw an `AppError` of a kind. Queries,
 * services and auth know nothing of HTTP; the HTTP layer (lib/http/respond.ts) is the one place
 * that turns a kind into a status code and the contract's `{error, issues?}` body.
 */
import type { z } from "zod";

export type Issue = { path: string; message: string };

export type FailureKind =
  /** The input is wrong; `issues` names the fields. */
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "notFound"
  | "conflict"
  | "tooLarge"
  | "unsupportedMediaType"
  | "rateLimited"
  /** The caller speaks a protocol version this server does not (an agent too old or too new). */
  | "upgradeRequired";

export type FailureDetails = {
  issues?: Issue[];
  /** When a rate-limited caller may try again. */
  retryAfterS?: number;
  /** The request body was not read to its end, so the connection cannot be reused. */
  closeConnection?: boolean;
  /** Fields the contract adds to this failure's body, e.g. the `pendingId` of a re-enrollment held for approval. */
  fields?: Record<string, string>;
};

export class AppError extends Error {
  /** The fields at fault, for an `invalid` failure. */
  readonly issues?: Issue[];

  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: FailureDetails = {},
  ) {
    super(message);
    if (details.issues) this.issues = details.issues;
  }
}

export const badRequest = (message: string, issues?: Issue[]) => new AppError("invalid", message, issues ? { issues } : {});
export const unauthorized = (message = "authentication required") => new AppError("unauthenticated", message);
export const forbidden = (message = "not allowed for your role") => new AppError("forbidden", message);
export const notFound = (what = "resource") => new AppError("notFound", `${what} not found`);
export const conflict = (message: string, fields?: Record<string, string>) => new AppError("conflict", message, fields ? { fields } : {});
export const rateLimited = (message: string, retryAfterS?: number) => new AppError("rateLimited", message, retryAfterS === undefined ? {} : { retryAfterS });

/** Invalid input with the fields at fault: the usual "invalid request" with its issues. */
export const invalidInput = (issues: Issue[]) => badRequest("invalid request", issues);

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** Parses with a zod schema; a mismatch is an `invalid` failure naming every field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(zodIssues(result.error));
  return result.data;
}

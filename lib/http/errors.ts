import type { ZodError } from "zod";

export type Issue = { path: string; message: string };

/** An expected failure with the status and message the client sees. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: Issue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, issues?: Issue[]) => new HttpError(400, message, issues);
export const unauthorized = (message = "authentication required") => new HttpError(401, message);
export const forbidden = (message = "not allowed for your role") => new HttpError(403, message);
export const notFound = (what = "resource") => new HttpError(404, `${what} not found`);
export const conflict = (message: string) => new HttpError(409, message);

export function zodIssues(error: ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/**
 * What a response status means for the request that got it:
 *  delivered    the server has it (202 for telemetry, 200/201 for a snapshot)
 *  retry        try again later (network error, 429, 5xx, an unexpected 2xx from a middlebox)
 *  unauthorized the agent token was revoked or replaced; nothing works until re-enrolled
 *  invalid      the server refused this content (400, 413, 422): a smaller batch may pass,
 *               a single sample refused this way never will
 *  refused      the server will take nothing from us as configured (403, 404, 415, a redirect):
 *               wrong URL or an incompatible server; keep the data and stop asking
 */
export type Outcome = "delivered" | "retry" | "unauthorized" | "invalid" | "refused";

export function classifyStatus(status: number, delivered: readonly number[]): Outcome {
  if (delivered.includes(status)) return "delivered";
  if (status === 401) return "unauthorized";
  if (status === 429 || status >= 500 || (status >= 200 && status < 300) || status < 100) return "retry";
  if (status === 400 || status === 413 || status === 422) return "invalid";
  return "refused";
}

/** One POST with a deadline, classified into the retryable and the hopeless. */
import { DeliveryError, type SendReceipt } from "./types";

export const DEFAULT_TIMEOUT_MS = 10_000;

/** 408 and 429 are the receiver asking for later; other 4xx will not change on a retry. */
export const isRetryableStatus = (status: number): boolean => status >= 500 || status === 408 || status === 429;

export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendReceipt> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Infra-Watch", ...headers },
      body,
      // A redirected POST turns into a GET on some hops; a moved endpoint is a config error.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
    throw new DeliveryError(timedOut ? `no answer within ${timeoutMs} ms` : `request failed${cause || (err instanceof Error ? `: ${err.message}` : "")}`, {
      retryable: true,
      cause: err,
    });
  }
  // Drain the body so the connection can be reused; its text helps explain a refusal.
  const text = await res.text().catch(() => "");
  if (res.status >= 200 && res.status < 300) return { status: res.status };
  const detail = text.trim().slice(0, 200);
  throw new DeliveryError(`HTTP ${res.status}${detail ? `: ${detail}` : ""}`, { status: res.status, retryable: isRetryableStatus(res.status) });
}

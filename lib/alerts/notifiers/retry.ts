/**
 * Delivery with retries for the notification queue. It never throws: whatever happens comes
 * back as one record per attempt, which is what the delivery log stores.
 */
import { DeliveryError, type AlertNotification, type Notifier } from "./types";

export interface DeliveryAttempt {
  attempt: number;
  ok: boolean;
  /** HTTP status or SMTP reply code when the channel answered. */
  status: number | null;
  error: string | null;
  /** Whether a later attempt could succeed (false for a 404, an SMTP 550, a refused address). */
  retryable: boolean;
  durationMs: number;
  startedAt: Date;
}

export interface DeliveryResult {
  delivered: boolean;
  attempts: DeliveryAttempt[];
}

export interface RetryOptions {
  /** Total attempts, the first included. Default 4. */
  attempts?: number;
  /** Delay before the second attempt; each later one doubles it. Default 1000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected so tests run without waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => Date;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Exponential backoff with "equal jitter": half the delay fixed, half random. Channels that
 * failed together (a Slack outage) then spread their retries, yet never retry at once.
 */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export async function deliverWithRetry(notifier: Notifier, message: AlertNotification, opts: RetryOptions = {}): Promise<DeliveryResult> {
  const attempts = Math.max(1, Math.floor(opts.attempts ?? 4));
  const base = opts.baseDelayMs ?? 1_000;
  const max = opts.maxDelayMs ?? 60_000;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? (() => new Date());
  const log: DeliveryAttempt[] = [];

  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      try {
        await sleep(backoffDelay(attempt - 1, base, max, random));
      } catch {
        // A sleep that fails (an aborted queue) is no reason to lose the remaining attempts' record.
      }
    }
    const startedAt = now();
    const started = performance.now();
    try {
      const receipt = await notifier.send(message);
      log.push({ attempt, ok: true, status: receipt?.status ?? null, error: null, retryable: false, durationMs: Math.round(performance.now() - started), startedAt });
      return { delivered: true, attempts: log };
    } catch (err) {
      const failure = err instanceof DeliveryError ? err : null;
      // A DeliveryError's message is a short class written by a notifier; anything else is a bug,
      // whose text stays in the server log, not in the delivery log users read.
      const error = failure ? failure.message : "internal error";
      if (!failure) console.error("[infra-watch] notifier failed unexpectedly:", err);
      log.push({ attempt, ok: false, status: failure?.status ?? null, error, retryable: failure ? failure.retryable : true, durationMs: Math.round(performance.now() - started), startedAt });
      // Errors that are not DeliveryErrors are bugs or surprises; retrying them is the safe bet.
      if (failure && !failure.retryable) break;
    }
  }
  return { delivered: false, attempts: log };
}

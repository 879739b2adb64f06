/**
 * Sending off the evaluation path: the run enqueues and returns, deliveries (with their
 * retries and backoff) proceed in the background with bounded concurrency, and each finished
 * delivery is handed to `onResult` for the delivery log. A slow SMTP server therefore never
 * holds the advisory lock or delays the next evaluation.
 */
import { deliverWithRetry, type DeliveryResult, type RetryOptions } from "./retry";
import type { AlertNotification, Notifier } from "./types";

export interface Delivery {
  /** Whatever the caller uses to file the result: channel id, event id, ... */
  tag: string;
  notifier: Notifier;
  message: AlertNotification;
}

export interface DispatcherOptions {
  /** Deliveries in flight at once. Default 4. */
  concurrency?: number;
  retry?: RetryOptions;
  /** Called once per delivery when it is done; its own failures are reported to `onError`. */
  onResult: (delivery: Delivery, result: DeliveryResult) => void | Promise<void>;
  onError?: (err: unknown, delivery: Delivery) => void;
}

export interface Dispatcher {
  enqueue(delivery: Delivery): void;
  /** Deliveries queued or in flight. */
  readonly pending: number;
  /** Resolves when everything enqueued so far is done: for shutdown and tests. */
  drain(): Promise<void>;
}

export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const queue: Delivery[] = [];
  let active = 0;
  const idle: (() => void)[] = [];

  const settleIfIdle = () => {
    if (active === 0 && queue.length === 0) for (const resolve of idle.splice(0)) resolve();
  };

  const pump = () => {
    while (active < concurrency && queue.length > 0) {
      const delivery = queue.shift()!;
      active++;
      void (async () => {
        try {
          const result = await deliverWithRetry(delivery.notifier, delivery.message, opts.retry);
          await opts.onResult(delivery, result);
        } catch (err) {
          opts.onError?.(err, delivery);
        } finally {
          active--;
          pump();
          settleIfIdle();
        }
      })();
    }
  };

  return {
    enqueue(delivery) {
      queue.push(delivery);
      pump();
    },
    get pending() {
      return queue.length + active;
    },
    drain() {
      if (active === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => {
        idle.push(resolve);
      });
    },
  };
}

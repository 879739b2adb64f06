/**
 * The one interface every notification channel implements, so the delivery queue and its
 * tests never know whether a message leaves as JSON, a Slack post or an email.
 */
import type { AlertRuleKind, Severity } from "../types";

export type ChannelKind = "webhook" | "slack" | "email";

/** One host's event in a grouped message. */
export interface NotifiedHost {
  id: string;
  hostname: string;
  eventId: string;
  value: number | null;
  message: string;
}

/**
 * What a channel is told about one event going firing or resolved, or about several hosts of
 * one rule making the same transition in one evaluation (`hosts`, the first of which is also
 * `eventId`/`host`/`value`/`message`).
 */
export interface AlertNotification {
  state: "firing" | "resolved";
  eventId: string;
  rule: { id: string; name: string; kind: AlertRuleKind; severity: Severity };
  host: { id: string; hostname: string };
  /** The value that triggered the transition (see FireTransition / ResolveTransition). */
  value: number | null;
  message: string;
  startedAt: Date;
  resolvedAt?: Date | null;
  /** Link to the event in the dashboard, when the server knows its public URL. */
  url?: string | null;
  /** Every host of a grouped message, the first included; absent or one entry: a single event. */
  hosts?: NotifiedHost[];
  /** 0 or absent: the transition; n: the n-th repeat notice of an event still firing. */
  repeat?: number;
}

/** What the channel answered when it accepted a message, for the delivery log. */
export interface SendReceipt {
  /** HTTP status or SMTP reply code. */
  status: number | null;
}

export interface Notifier {
  kind: ChannelKind;
  /**
   * Resolves once the channel accepted the message; rejects with a `DeliveryError` otherwise.
   * A receipt is optional so a test double can simply resolve.
   */
  send(message: AlertNotification): Promise<SendReceipt | void>;
}

/**
 * A failed send. `retryable` separates "try again later" (timeouts, 5xx, 429, SMTP 4xx) from
 * "this will never work" (a 404 webhook, an SMTP 550), so retries are not wasted.
 */
export class DeliveryError extends Error {
  readonly status: number | null;
  readonly retryable: boolean;
  constructor(message: string, opts: { status?: number | null; retryable: boolean; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "DeliveryError";
    this.status = opts.status ?? null;
    this.retryable = opts.retryable;
  }
}

/**
 * Generic webhook: the notification as JSON. With a secret, `X-InfraWatch-Signature:
 * sha256=<hex>` is the HMAC-SHA256 of the exact body bytes, so a receiver can verify the
 * sender before parsing anything.
 */
import { createHmac } from "node:crypto";
import { notificationPayload } from "./format";
import { DEFAULT_TIMEOUT_MS, postJson, type EgressOptions } from "./http";
import type { AlertNotification, Notifier } from "./types";

export const SIGNATURE_HEADER = "X-InfraWatch-Signature";
/**
 * Same for every attempt at one transition, so a receiver that got a message whose answer
 * was lost can drop the retry.
 */
export const DELIVERY_KEY_HEADER = "X-InfraWatch-Delivery";

/** `<event>:<state>`, plus `:<n>` for the n-th repeat notice: one key per message a receiver should see once. */
export const deliveryKey = (m: Pick<AlertNotification, "eventId" | "state" | "repeat">): string => `${m.eventId}:${m.state}${m.repeat ? `:${m.repeat}` : ""}`;

export const signBody = (secret: string, body: string): string => `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;

export function createWebhookNotifier(opts: { url: string; secret?: string; timeoutMs?: number; egress?: EgressOptions }): Notifier {
  return {
    kind: "webhook",
    async send(message: AlertNotification) {
      const body = JSON.stringify(notificationPayload(message));
      const headers: Record<string, string> = { [DELIVERY_KEY_HEADER]: deliveryKey(message) };
      if (opts.secret) headers[SIGNATURE_HEADER] = signBody(opts.secret, body);
      return postJson(opts.url, body, headers, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.egress);
    },
  };
}

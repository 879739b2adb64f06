/** Channels behind one interface: build a notifier from a validated channel config. */
import type { ChannelConfig } from "./config";
import { createEmailNotifier } from "./email";
import { createSlackNotifier } from "./slack";
import type { Notifier } from "./types";
import { createWebhookNotifier } from "./webhook";

export function createNotifier(config: ChannelConfig, opts: { timeoutMs?: number } = {}): Notifier {
  switch (config.kind) {
    case "webhook":
      return createWebhookNotifier({ url: config.url, secret: config.secret, timeoutMs: opts.timeoutMs });
    case "slack":
      return createSlackNotifier({ url: config.url, timeoutMs: opts.timeoutMs });
    case "email":
      return createEmailNotifier({ ...config, timeoutMs: opts.timeoutMs });
  }
}

export * from "./config";
export * from "./types";
export { notificationLines, notificationPayload, notificationTitle, toAlertNotification } from "./format";
export { deliverWithRetry, backoffDelay, type DeliveryAttempt, type DeliveryResult, type RetryOptions } from "./retry";
export { createWebhookNotifier, signBody, SIGNATURE_HEADER, DELIVERY_KEY_HEADER } from "./webhook";
export { createSlackNotifier, slackPayload } from "./slack";
export { createEmailNotifier, emailContent, eventMessageId, type EmailNotifierOptions } from "./email";
export { createDispatcher, type Delivery, type Dispatcher, type DispatcherOptions } from "./dispatch";

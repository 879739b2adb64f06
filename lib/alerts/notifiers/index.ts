/** Channels behind one interface: build a notifier from a validated channel config. */
import { channelTlsMode, type ChannelConfig } from "./config";
import { createEmailNotifier } from "./email";
import { createSlackNotifier } from "./slack";
import type { EgressOptions } from "./http";
import type { Notifier } from "./types";
import { createWebhookNotifier } from "./webhook";

export interface NotifierOptions {
  timeoutMs?: number;
  /** Where sends may connect; without an allow-list no private, loopback or link-local address. */
  egress?: EgressOptions;
}

export function createNotifier(config: ChannelConfig, opts: NotifierOptions = {}): Notifier {
  switch (config.kind) {
    case "webhook":
      return createWebhookNotifier({ url: config.url, secret: config.secret, timeoutMs: opts.timeoutMs, egress: opts.egress });
    case "slack":
      return createSlackNotifier({ url: config.url, timeoutMs: opts.timeoutMs, egress: opts.egress });
    case "email":
      return createEmailNotifier({ host: config.host, port: config.port, tls: channelTlsMode(config), user: config.user, pass: config.pass, from: config.from, to: config.to, timeoutMs: opts.timeoutMs, egress: opts.egress });
  }
}

export * from "./config";
export * from "./types";
export { groupNotifications, hostsOf, MAX_GROUPED_HOSTS, notificationLines, notificationPayload, notificationTitle, toAlertNotification } from "./format";
export { deliverWithRetry, backoffDelay, type DeliveryAttempt, type DeliveryResult, type RetryOptions } from "./retry";
export { createWebhookNotifier, deliveryKey, signBody, SIGNATURE_HEADER, DELIVERY_KEY_HEADER } from "./webhook";
export { createSlackNotifier, slackPayload } from "./slack";
export { createEmailNotifier, emailContent, eventMessageId, type EmailNotifierOptions } from "./email";
export { parseCidr, parseCidrList, parseIp, refusedRange, type Cidr, type IpAddress } from "@/lib/net/cidr";
export { literalAddressIssue, vetAddress, type Lookup, type VettedAddress } from "./address";
export { type EgressOptions } from "./http";

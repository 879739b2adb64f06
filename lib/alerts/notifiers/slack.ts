/** Slack-compatible incoming webhook (`{text, blocks}`); Mattermost and Rocket.Chat accept the same. */
import { notificationLines, notificationTitle } from "./format";
import { DEFAULT_TIMEOUT_MS, postJson, type EgressOptions } from "./http";
import type { AlertNotification, Notifier } from "./types";

/** Slack's mrkdwn treats these three as markup; everything else is literal. */
const escapeMrkdwn = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const ICON = { firing: { critical: ":red_circle:", warning: ":large_orange_circle:", info: ":large_blue_circle:" }, resolved: ":white_check_mark:" } as const;

export function slackPayload(message: AlertNotification) {
  const icon = message.state === "resolved" ? ICON.resolved : ICON.firing[message.rule.severity];
  const title = notificationTitle(message);
  const [summary, ...details] = notificationLines(message);
  return {
    // `text` is what notifications and clients without blocks show.
    text: `${icon} ${escapeMrkdwn(title)}: ${escapeMrkdwn(summary!)}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `${icon} *${escapeMrkdwn(title)}*\n${escapeMrkdwn(summary!)}` } },
      { type: "context", elements: [{ type: "mrkdwn", text: details.map(escapeMrkdwn).join(" \u00b7 ") }] },
    ],
  };
}

export function createSlackNotifier(opts: { url: string; timeoutMs?: number; egress?: EgressOptions }): Notifier {
  return {
    kind: "slack",
    async send(message) {
      return postJson(opts.url, JSON.stringify(slackPayload(message)), {}, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.egress);
    },
  };
}

/** Email over SMTP through nodemailer: one plain-text message per transition. */
import nodemailer from "nodemailer";
import { notificationLines, notificationTitle } from "./format";
import { DEFAULT_TIMEOUT_MS } from "./http";
import { DELIVERY_KEY_HEADER } from "./webhook";
import { DeliveryError, type AlertNotification, type Notifier } from "./types";

export interface EmailNotifierOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  user?: string;
  pass?: string;
  from: string;
  to: string[];
  timeoutMs?: number;
}

/**
 * SMTP says itself what is worth retrying: 4xx replies are transient ("mailbox busy"), 5xx
 * permanent ("no such user", "authentication failed"). No reply at all (refused, timed out)
 * is transient.
 */
function classify(err: unknown): DeliveryError {
  const e = err as { responseCode?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.responseCode === "number" ? e.responseCode : null;
  const text = typeof e.message === "string" ? e.message : String(err);
  const retryable = status === null ? e.code !== "EAUTH" && e.code !== "EENVELOPE" : status < 500;
  return new DeliveryError(`SMTP ${status ?? (typeof e.code === "string" ? e.code : "error")}: ${text}`.slice(0, 300), { status, retryable, cause: err });
}

export function emailContent(message: AlertNotification): { subject: string; text: string } {
  return { subject: `Infra-Watch ${notificationTitle(message)}`, text: notificationLines(message).join("\n") + "\n" };
}

/**
 * Stable Message-IDs per event, so a mail client threads the resolve notice under the firing
 * one: the operator sees "fired, then resolved" as one conversation.
 */
export function eventMessageId(eventId: string, state: AlertNotification["state"], from: string): string {
  const domain = /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? "infra-watch.invalid";
  return `<alert-${eventId.replace(/[^A-Za-z0-9._-]/g, "")}-${state}@${domain}>`;
}

export function createEmailNotifier(opts: EmailNotifierOptions): Notifier {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.secure ?? false,
    auth: opts.user ? { user: opts.user, pass: opts.pass ?? "" } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    kind: "email",
    async send(message) {
      const { subject, text } = emailContent(message);
      let response: string;
      try {
        ({ response } = await transport.sendMail({
          from: opts.from,
          to: opts.to,
          subject,
          text,
          messageId: eventMessageId(message.eventId, message.state, opts.from),
          ...(message.state === "resolved" ? { inReplyTo: eventMessageId(message.eventId, "firing", opts.from), references: eventMessageId(message.eventId, "firing", opts.from) } : {}),
          headers: { [DELIVERY_KEY_HEADER]: `${message.eventId}:${message.state}` },
        }));
      } catch (err) {
        throw classify(err);
      }
      const code = Number(/^\d{3}/.exec(response ?? "")?.[0]);
      return { status: Number.isFinite(code) ? code : null };
    },
  };
}

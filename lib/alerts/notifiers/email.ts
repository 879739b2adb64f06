/** Email over SMTP through nodemailer: one plain-text message per transition. */
import nodemailer from "nodemailer";
import { notificationLines, notificationTitle } from "./format";
import { vetAddress } from "./address";
import { parseIp } from "@/lib/net/cidr";
import type { SmtpTlsMode } from "./config";
import { DEFAULT_TIMEOUT_MS, networkErrorClass, withDeadline, type EgressOptions } from "./http";
import { DELIVERY_KEY_HEADER, deliveryKey } from "./webhook";
import { DeliveryError, type AlertNotification, type Notifier } from "./types";

export interface EmailNotifierOptions {
  host: string;
  port: number;
  /** Default "starttls", required: a server that does not offer it gets nothing, credentials least of all. */
  tls?: SmtpTlsMode;
  user?: string;
  pass?: string;
  from: string;
  to: string[];
  timeoutMs?: number;
  egress?: EgressOptions;
}

/**
 * SMTP says itself what is worth retrying: 4xx replies are transient ("mailbox busy"), 5xx
 * permanent ("no such user", "authentication failed"). No reply at all (refused, timed out)
 * is transient.
 */
function classify(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { responseCode?: unknown; code?: unknown };
  const status = typeof e.responseCode === "number" ? e.responseCode : null;
  // The class only: an SMTP server's reply text is the peer talking, and is not stored.
  if (status !== null) return new DeliveryError(`SMTP ${status}`, { status, retryable: status < 500, cause: err });
  switch (e.code) {
    case "EAUTH":
      return new DeliveryError("SMTP authentication failed", { retryable: false, cause: err });
    case "EENVELOPE":
      return new DeliveryError("SMTP envelope refused", { retryable: false, cause: err });
    case "ETLS":
      return new DeliveryError("SMTP TLS unavailable", { retryable: false, cause: err });
    case "ETIMEDOUT":
      return new DeliveryError("timeout", { retryable: true, cause: err });
    default:
      return new DeliveryError(`SMTP ${networkErrorClass((err as { cause?: unknown }).cause ?? err)}`, { retryable: true, cause: err });
  }
}

export function emailContent(message: AlertNotification): { subject: string; text: string } {
  return { subject: `Infra-Watch ${notificationTitle(message)}`, text: notificationLines(message).join("\n") + "\n" };
}

/**
 * Stable Message-IDs per event, so a mail client threads the resolve notice under the firing
 * one: the operator sees "fired, then resolved" as one conversation.
 */
export function eventMessageId(eventId: string, state: AlertNotification["state"], from: string, repeat = 0): string {
  const domain = /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? "infra-watch.invalid";
  return `<alert-${eventId.replace(/[^A-Za-z0-9._-]/g, "")}-${state}${repeat > 0 ? `-r${repeat}` : ""}@${domain}>`;
}

export function createEmailNotifier(opts: EmailNotifierOptions): Notifier {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const tls = opts.tls ?? "starttls";
  return {
    kind: "email",
    async send(message) {
      const { subject, text } = emailContent(message);
      let response: string;
      let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
      try {
        // nodemailer's timeouts are per phase (connect, greeting, idle); the whole send gets one
        // deadline on top, so it always ends well inside the outbox's claim lease.
        ({ response } = await withDeadline(
          3 * timeout,
          (async () => {
            // Connect to the vetted address; TLS verifies the certificate for the configured name.
            const { address } = await vetAddress(opts.host, opts.egress?.allow ?? [], opts.egress?.lookup);
            transport = nodemailer.createTransport({
              host: address,
              port: opts.port,
              secure: tls === "implicit",
              requireTLS: tls === "starttls",
              ignoreTLS: tls === "none",
              tls: parseIp(opts.host) ? {} : { servername: opts.host },
              // Without a password there is nothing to authenticate with (a PATCH that moved the channel dropped it).
              auth: opts.user && opts.pass ? { user: opts.user, pass: opts.pass } : undefined,
              connectionTimeout: timeout,
              greetingTimeout: timeout,
              socketTimeout: timeout,
            });
            return transport.sendMail({
              from: opts.from,
              to: opts.to,
              subject,
              text,
              messageId: eventMessageId(message.eventId, message.state, opts.from, message.repeat ?? 0),
              ...(message.state === "resolved" || (message.repeat ?? 0) > 0 ? { inReplyTo: eventMessageId(message.eventId, "firing", opts.from), references: eventMessageId(message.eventId, "firing", opts.from) } : {}),
              headers: { [DELIVERY_KEY_HEADER]: deliveryKey(message) },
            });
          })(),
          () => transport?.close(),
        ));
      } catch (err) {
        throw classify(err);
      } finally {
        transport?.close();
      }
      const code = Number(/^\d{3}/.exec(response ?? "")?.[0]);
      return { status: Number.isFinite(code) ? code : null };
    },
  };
}

/**
 * Notification channel settings as admins enter them; one schema per channel kind, shared by
 * the channels route (400 with issues) and the delivery queue (what it may trust).
 */
import { z } from "zod";

const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).max(2048);

/** "alerts@example.com" or "Infra-Watch <alerts@example.com>". */
const mailbox = z
  .string()
  .max(320)
  .refine((v) => z.email().safeParse(/<([^<>]+)>\s*$/.exec(v)?.[1] ?? v.trim()).success, { message: "must be an address or Name <address>" });

export const SMTP_TLS_MODES = ["starttls", "implicit", "none"] as const;
export type SmtpTlsMode = (typeof SMTP_TLS_MODES)[number];

export const WebhookChannelSchema = z.object({
  kind: z.literal("webhook"),
  url: httpUrl,
  /** Signs each body with HMAC-SHA256. */
  secret: z.string().min(1).max(256).optional(),
});

export const SlackChannelSchema = z.object({ kind: z.literal("slack"), url: httpUrl });

export const EmailChannelSchema = z
  .object({
    kind: z.literal("email"),
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535),
    /**
     * "starttls" (the default): the server must upgrade the connection before anything else,
     * credentials included; "implicit": TLS from the first byte (port 465); "none": plain
     * text, only when set explicitly (the dashboard labels it insecure).
     */
    tls: z.enum(SMTP_TLS_MODES).optional(),
    /** Older spelling of tls: "implicit"; kept so stored channels still parse. */
    secure: z.boolean().optional(),
    user: z.string().min(1).max(256).optional(),
    pass: z.string().max(256).optional(),
    from: mailbox,
    to: z.array(z.email()).min(1).max(50),
  })
  .refine((c) => c.pass === undefined || c.user !== undefined, { message: "pass needs user", path: ["user"] });

export const ChannelConfigSchema = z.discriminatedUnion("kind", [WebhookChannelSchema, SlackChannelSchema, EmailChannelSchema]);
export type WebhookChannelConfig = z.infer<typeof WebhookChannelSchema>;
export type SlackChannelConfig = z.infer<typeof SlackChannelSchema>;
export type EmailChannelConfig = z.infer<typeof EmailChannelSchema>;
export type ChannelConfig = z.infer<typeof ChannelConfigSchema>;

/** TLS is required unless a channel says otherwise in so many words. */
export const channelTlsMode = (c: { tls?: SmtpTlsMode; secure?: boolean }): SmtpTlsMode => c.tls ?? (c.secure ? "implicit" : "starttls");

/**
 * Write-only settings that belong to where a channel points: sent to a new destination they
 * would be handed to whoever runs it, so a PATCH that moves the channel drops them unless it
 * names them again (issue 11.7).
 */
export function retargetedConfig(current: ChannelConfig, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current, ...patch };
  const moved = (keys: string[]) => keys.some((k) => k in patch && patch[k] !== (current as Record<string, unknown>)[k]);
  const drop = (keys: string[]) => {
    for (const k of keys) if (!(k in patch)) delete merged[k];
  };
  if (current.kind === "email" && moved(["host", "port"])) drop(["pass"]);
  if (current.kind === "webhook" && moved(["url"])) drop(["secret"]);
  return merged;
}

/**
 * The form safe to show in API responses and the dashboard: secrets become flags, and a
 * URL keeps only origin and path (Slack webhook paths are themselves the credential, so
 * they go too).
 */
export type RedactedChannelConfig =
  | { kind: "webhook"; url: string; secretSet: boolean }
  | { kind: "slack"; url: string }
  | (Omit<EmailChannelConfig, "pass" | "secure"> & { passSet: boolean; tls: SmtpTlsMode });

function urlWithoutCredentials(raw: string, keepPath: boolean): string {
  try {
    const u = new URL(raw);
    return keepPath ? `${u.origin}${u.pathname}` : `${u.origin}/\u2026`;
  } catch {
    return "\u2026";
  }
}

export function redactChannelConfig(config: ChannelConfig): RedactedChannelConfig {
  switch (config.kind) {
    case "webhook":
      return { kind: "webhook", url: urlWithoutCredentials(config.url, true), secretSet: Boolean(config.secret) };
    case "slack":
      return { kind: "slack", url: urlWithoutCredentials(config.url, false) };
    case "email": {
      const rest: Omit<EmailChannelConfig, "pass" | "secure"> & { pass?: string; secure?: boolean } = { ...config };
      delete rest.pass;
      delete rest.secure;
      return { ...rest, tls: channelTlsMode(config), passSet: Boolean(config.pass) };
    }
  }
}

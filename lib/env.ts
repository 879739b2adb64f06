/**
 * The one reader of process.env. Everything else receives settings as arguments
 * (or calls getEnv() at the edge: route handlers, instrumentation, scripts).
 */
import path from "node:path";
import { z } from "zod";
import { parseCidrList, type Cidr } from "@/lib/net/cidr";
import { ROLES } from "@/lib/protocol/constants";
import { parseRoleMap, providerDisplayName, type OidcSettings } from "@/lib/sso/oidc";

const flag = z
  .enum(["0", "1", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    IW_DATA_DIR: z.string().min(1).default("./data"),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    IW_ADMIN_EMAIL: z.email().default("admin@localhost.localdomain"),
    IW_ADMIN_PASSWORD: z.string().min(10, "must be at least 10 characters").optional(),
    CRON_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    IW_ALERT_INTERVAL_S: z.coerce.number().int().min(0).default(30),
    /** The dashboard's address as users reach it; alert notifications link to it when set. */
    IW_PUBLIC_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    IW_LOCAL_AGENT: flag.optional(),
    IW_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** How often agents are expected to report when they do not say; drives up/down status. */
    IW_AGENT_INTERVAL_S: z.coerce.number().int().min(1).default(15),
    /** Failed-login rate-limit window. */
    IW_LOGIN_WINDOW_S: z.coerce.number().int().min(1).default(900),
    /** Disable the TimescaleDB setup even where the extension is available. */
    IW_TIMESCALEDB: z.enum(["auto", "off"]).default("auto"),
    // --- pooler (issue 10) ---
    /** `transaction` when DATABASE_URL goes through PgBouncer-style transaction pooling. */
    IW_DB_POOLER: z.enum(["none", "transaction"]).default("none"),
    // --- auth hardening (sessions, proxies, CSRF origin) ---
    /** Absolute lifetime of a dashboard session from its sign-in, however often it is renewed. */
    IW_SESSION_LIFETIME_S: z.coerce.number().int().min(1).max(90 * 24 * 3600).default(24 * 3600),
    /** Comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed; default none. */
    IW_TRUSTED_PROXIES: z
      .string()
      .default("")
      .superRefine((v, ctx) => {
        const bad = parseCidrList(v).invalid[0];
        if (bad !== undefined) ctx.addIssue({ code: "custom", message: `"${bad}" is not an IP address or CIDR (e.g. 10.0.0.0/8, ::1/128)` });
      }),
    /** next-auth's own public-URL settings: the app's origin when IW_PUBLIC_URL is unset. */
    NEXTAUTH_URL: z.string().optional(),
    AUTH_URL: z.string().optional(),
    // Notifications (alerts branch)
    /** Private, loopback or link-local ranges notification channels may reach; default none. */
    IW_NOTIFY_ALLOW_CIDRS: z
      .string()
      .default("")
      .refine((v) => parseCidrList(v).invalid.length === 0, { message: "must be comma-separated CIDRs such as 127.0.0.0/8,10.0.0.0/8 (host bits zero)" }),
    /** Snapshots older than this are deleted; each host's latest is always kept. */
    IW_SNAPSHOT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(365),
    /** PKCS#8 PEM of the ed25519 key that signs agent releases; unset: generated in IW_DATA_DIR. */
    IW_AGENT_SIGNING_KEY: z
      .string()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    // --- single sign-on (issue 15) ---
    /** The OpenID provider's issuer URL; its /.well-known/openid-configuration is read at sign-in. */
    IW_OIDC_ISSUER: z
      .url({ protocol: /^https?$/ })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    IW_OIDC_CLIENT_ID: z.string().optional(),
    IW_OIDC_CLIENT_SECRET: z.string().optional(),
    /** The button's "Sign in with …"; default the issuer's host. */
    IW_OIDC_NAME: z.string().max(60).optional(),
    IW_OIDC_DEFAULT_ROLE: z.enum(ROLES).default("viewer"),
    /** The claim listing the user's groups (e.g. `groups`); with IW_OIDC_ROLE_MAP it picks a new user's role. */
    IW_OIDC_ROLE_CLAIM: z.string().max(100).optional(),
    IW_OIDC_ROLE_MAP: z
      .string()
      .default("")
      .superRefine((v, ctx) => {
        const bad = parseRoleMap(v).invalid[0];
        if (bad !== undefined) ctx.addIssue({ code: "custom", message: `"${bad}" is not group:role (roles: ${ROLES.join(", ")}), e.g. admins:admin,ops:operator` });
      }),
    /** false: no password sign-in (form hidden, the credentials and login routes refuse); needs SSO configured. */
    IW_PASSWORD_LOGIN: flag.default(true),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required when DATABASE_URL is set" });
    }
    const oidc = { IW_OIDC_ISSUER: env.IW_OIDC_ISSUER, IW_OIDC_CLIENT_ID: env.IW_OIDC_CLIENT_ID, IW_OIDC_CLIENT_SECRET: env.IW_OIDC_CLIENT_SECRET };
    const given = Object.values(oidc).some(Boolean);
    for (const [key, value] of Object.entries(oidc)) {
      if (given && !value) ctx.addIssue({ code: "custom", path: [key], message: "is required when any of IW_OIDC_ISSUER, IW_OIDC_CLIENT_ID, IW_OIDC_CLIENT_SECRET is set" });
    }
    if (!env.IW_PASSWORD_LOGIN && !given) {
      ctx.addIssue({ code: "custom", path: ["IW_PASSWORD_LOGIN"], message: "false needs single sign-on (IW_OIDC_ISSUER, IW_OIDC_CLIENT_ID, IW_OIDC_CLIENT_SECRET), or nobody could sign in" });
    }
  });

export type Env = {
  nodeEnv: "development" | "production" | "test";
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  authSecret: string | undefined;
  adminEmail: string;
  adminPassword: string | undefined;
  cronSecret: string | undefined;
  alertIntervalS: number;
  publicUrl: string | undefined;
  localAgent: boolean;
  retentionDays: number;
  agentIntervalS: number;
  timescale: "auto" | "off";
  loginWindowS: number;
  dbPooler: "none" | "transaction";
  sessionLifetimeS: number;
  trustedProxies: Cidr[];
  /** The origin browsers use for the dashboard, when configured (IW_PUBLIC_URL, else NEXTAUTH_URL/AUTH_URL). */
  appOrigin: string | undefined;
  /** IW_NOTIFY_ALLOW_CIDRS, validated; parse with parseCidrList. */
  notifyAllowCidrs: string;
  snapshotRetentionDays: number;
  /** IW_AGENT_SIGNING_KEY; resolve with lib/agent-release/signing-key.ts. */
  agentSigningKey: string | undefined;
  /** Single sign-on, when IW_OIDC_ISSUER, IW_OIDC_CLIENT_ID and IW_OIDC_CLIENT_SECRET are set. */
  oidc: OidcSettings | undefined;
  /** Whether users may sign in with a password (IW_PASSWORD_LOGIN). */
  passwordLogin: boolean;
};

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = result.data;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.IW_DATA_DIR),
    authSecret: e.AUTH_SECRET,
    adminEmail: e.IW_ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.IW_ADMIN_PASSWORD,
    cronSecret: e.CRON_SECRET,
    alertIntervalS: e.IW_ALERT_INTERVAL_S,
    publicUrl: e.IW_PUBLIC_URL?.replace(/\/+$/, ""),
    localAgent: e.IW_LOCAL_AGENT ?? !e.DATABASE_URL,
    retentionDays: e.IW_RETENTION_DAYS,
    agentIntervalS: e.IW_AGENT_INTERVAL_S,
    timescale: e.IW_TIMESCALEDB,
    loginWindowS: e.IW_LOGIN_WINDOW_S,
    dbPooler: e.IW_DB_POOLER,
    sessionLifetimeS: e.IW_SESSION_LIFETIME_S,
    trustedProxies: parseCidrList(e.IW_TRUSTED_PROXIES).cidrs,
    appOrigin: originOf(e.IW_PUBLIC_URL) ?? originOf(e.NEXTAUTH_URL) ?? originOf(e.AUTH_URL),
    notifyAllowCidrs: e.IW_NOTIFY_ALLOW_CIDRS,
    snapshotRetentionDays: e.IW_SNAPSHOT_RETENTION_DAYS,
    agentSigningKey: e.IW_AGENT_SIGNING_KEY,
    oidc:
      e.IW_OIDC_ISSUER && e.IW_OIDC_CLIENT_ID && e.IW_OIDC_CLIENT_SECRET
        ? {
            issuer: e.IW_OIDC_ISSUER.replace(/\/+$/, ""),
            clientId: e.IW_OIDC_CLIENT_ID,
            clientSecret: e.IW_OIDC_CLIENT_SECRET,
            displayName: providerDisplayName(e.IW_OIDC_ISSUER, e.IW_OIDC_NAME),
            defaultRole: e.IW_OIDC_DEFAULT_ROLE,
            roleClaim: e.IW_OIDC_ROLE_CLAIM?.trim() || undefined,
            roleMap: parseRoleMap(e.IW_OIDC_ROLE_MAP).map,
          }
        : undefined,
    passwordLogin: e.IW_PASSWORD_LOGIN,
  };
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

let cached: Env | undefined;
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

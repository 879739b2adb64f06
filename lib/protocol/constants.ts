/**
 * The protocol's plain values, importable without zod. The agent bundles this file instead
 * of ./index.ts so that its executable does not carry a schema library it never runs
 * (zod alone adds ~12 MB of RSS to a Node process). ./index.ts re-exports them.
 */
export const PROTOCOL_VERSION = 1;

/** Who a user is to the permission table (lib/auth/permissions.ts); the API and the dashboard name them so. */
export const ROLES = ["admin", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const BODY_LIMITS = {
  telemetry: 1024 * 1024,
  snapshot: 16 * 1024 * 1024,
  default: 64 * 1024,
} as const;

export const MAX_SAMPLES_PER_BATCH = 1000;
export const MAX_PACKAGES = 20_000;
export const MAX_ENV_KEYS = 2_000;
/**
 * Env keys and values together, in characters: a real environment is a few KB. The bound keeps
 * the per-value secret scans (lib/protocol/redaction.ts) of one upload within milliseconds.
 */
export const MAX_ENV_CHARS = 1024 * 1024;

/**
 * Secret-looking env values are replaced by the agent with `REDACTED_PREFIX + keyed hash`,
 * so the server can show that a value changed without ever seeing it.
 */
export const REDACTED_PREFIX = "redacted:hmac-sha256:";

/** Whether an env value is the agent's keyed hash of a secret rather than the value. */
export const isRedactedValue = (value: string): boolean => value.startsWith(REDACTED_PREFIX);

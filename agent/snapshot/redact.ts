import { createHmac } from "node:crypto";
import { REDACTED_PREFIX } from "../../lib/protocol/constants";

const SECRET_WORDS = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "AUTH", "PRIVATE", "DSN"];

/**
 * Whether an env key names a secret. A key is split into word parts at `_`, `-`, `.` and
 * camelCase boundaries; a part that is a secret word, its plural, or ends with one
 * (`APIKEY`, `DBPASSWORD`, `OAUTH`) marks the key. `MONKEY` is redacted too: hiding a harmless
 * value costs a little visibility, missing a secret leaks it.
 */
export function isSecretKey(key: string): boolean {
  const parts = key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  return parts.some((part) => SECRET_WORDS.some((word) => part.endsWith(word) || part === `${word}S`));
}

/** `scheme://user:password@host...` anywhere in the value. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;

export function hasUrlPassword(value: string): boolean {
  return URL_WITH_PASSWORD.test(value);
}

/** The keyed hash that stands in for a secret: equal values give equal hashes on one host only. */
export function redactValue(hostKey: string, value: string): string {
  return REDACTED_PREFIX + createHmac("sha256", hostKey).update(value).digest("hex").slice(0, 32);
}

export function redactEnv(env: Record<string, string>, hostKey: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    out[key] = isSecretKey(key) || hasUrlPassword(value) ? redactValue(hostKey, value) : value;
  }
  return out;
}

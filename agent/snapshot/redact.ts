import { createHmac } from "node:crypto";
import { REDACTED_PREFIX } from "../../lib/protocol/constants";
import { isSecretKey, isSecretValue } from "../../lib/protocol/redaction";

export { hasUrlPassword, isSecretKey, isSecretValue } from "../../lib/protocol/redaction";

/** The keyed hash that stands in for a secret: equal values give equal hashes on one host only. */
export function redactValue(hostKey: string, value: string): string {
  return REDACTED_PREFIX + createHmac("sha256", hostKey).update(value).digest("hex").slice(0, 32);
}

/** Secret-looking values (by key or by value, lib/protocol/redaction.ts) become keyed hashes. */
export function redactEnv(env: Record<string, string>, hostKey: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) out[key] = isSecretKey(key) || isSecretValue(value) ? redactValue(hostKey, value) : value;
  return out;
}
